package net.ircbridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import net.ircbridge.testbed.Await;
import net.ircbridge.testbed.IrcMessage;
import net.ircbridge.testbed.IrcTestClient;
import net.ircbridge.testbed.MatrixTestClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The room of identified users follows the account state of each Matrix user's IRC connection, with real IRC services
 * (Anope's NickServ, linked to the test InspIRCd): identifying (900) brings an invite to it, and with it the way into
 * the restricted rooms of registered-only channels; logging out (901) takes the user out of it and, as the rooms'
 * admin, out of every restricted room of the network, with a reason.
 */
class IdentifiedUsersIT extends OneBridgePerClass {

    private static String botAccount;

    @BeforeAll
    static void start() {
        bed = net.ircbridge.testbed.TestBed.get();
        bed.startServices();
        // The bot has an account of its own, registered on IRC beforehand, and logs in with SASL.
        botAccount = bed.uniqueName("botacct");
        String botPassword = bed.uniqueName("pw");
        registerAccount(botAccount, botPassword);
        startBridge("identified", "bot-account: " + botAccount + "\n      bot-password: " + botPassword);
    }

    /** Registers an account with NickServ from an IRC connection whose nick is the account's name. */
    private static void registerAccount(String account, String password) {
        try (IrcTestClient owner = IrcTestClient.connect(bed, account)) {
            owner.privmsg("NickServ", "REGISTER " + password + " " + account + "@example.org");
            owner.awaitMessage(m -> m.is("900"), WAIT);
        }
    }

    @Test
    void theBotLogsInWithSaslSoARegisteredOnlyChannelLetsItInAndIdentifiedUsersFollow() {
        String channel = "#" + bed.uniqueName("reg");
        String account = bed.uniqueName("acct");
        String password = bed.uniqueName("pw");
        registerAccount(account, password);
        try (IrcTestClient oper = IrcTestClient.connect(bed, bed.uniqueName("op"))) {
            // Registered-only before the bridge ever saw it: only an identified bot gets in.
            oper.join(channel);
            oper.send("MODE " + channel + " +R");
            oper.awaitMessage(m -> m.is("MODE") && m.raw().contains("+R"), WAIT);

            MatrixTestClient user = MatrixTestClient.register(bed, bed.uniqueName("mx"));
            String adminRoom = user.createDirectChat(bot);
            Await.until(WAIT, "the bot joins the admin room", () -> user.members(adminRoom).contains(bot));
            user.sendText(adminRoom, "!login " + account + " " + password);
            awaitFromBot(user, adminRoom, "You are identified as " + account);
            String identifiedRoom = user.awaitInvite(WAIT);
            user.join(identifiedRoom);

            String room = user.join(alias(channel));
            oper.awaitMessage(m -> m.is("JOIN") && m.raw().contains("!bridge@"), WAIT);
            awaitNickOnChannel(oper, channel);
            Await.until(WAIT, "the oper's ghost in the room", () -> user.members(room).contains(ghost(oper.nick())));
            Await.until(WAIT, "the room is restricted to the identified users",
                    () -> identifiedRoom.equals(user.state(room, "m.room.join_rules", "").path("allow").path(0).path("room_id").asText())
                            && "restricted".equals(user.state(room, "m.room.join_rules", "").path("join_rule").asText()));
        }
    }

    @Test
    void identifyingWithNickServLetsAUserIntoARestrictedRoomAndLoggingOutTakesThemOut() {
        RestrictedPortal portal = restrictedPortal();
        String channel = portal.on().channel();
        try (IrcTestClient oper = portal.on().oper()) {
            MatrixTestClient watcher = portal.on().user();
            String room = portal.on().room();
            String identifiedRoom = portal.identifiedRoom();

            // Not identified: the homeserver refuses the join, as the channel would refuse the JOIN.
            MatrixTestClient user = MatrixTestClient.register(bed, bed.uniqueName("mx"));
            MatrixTestClient.Response refused = user.post("join/" + MatrixTestClient.enc(room), Map.of());
            assertEquals(403, refused.status(), refused.body()::toString);

            // The user registers an account with NickServ in a direct chat; Anope logs them in at once (900).
            String nickServ = ghost("NickServ");
            String chat = user.createDirectChat(nickServ);
            awaitMembership(user, chat, nickServ, "join");
            user.sendText(chat, "REGISTER " + bed.uniqueName("pw") + " " + user.userId().substring(1, user.userId().indexOf(':')) + "@example.org");
            user.awaitEvent(chat, e -> nickServ.equals(e.path("sender").asText())
                    && e.path("content").path("body").asText().contains("registered"), WAIT);

            JsonNode invite = awaitMembership(user, identifiedRoom, user.userId(), "invite");
            assertEquals(bot, invite.path("sender").asText());
            assertTrue(invite.path("content").path("reason").asText().startsWith("Your IRC connection to Test IRC is identified as "),
                    invite::toString);
            user.join(identifiedRoom);

            // Now the restricted room lets the user in, and the registered-only channel takes their connection.
            user.join(room);
            String nick = awaitNickOnChannel(oper, channel);

            // Logging out (901) takes the user out of both rooms, by the bot, saying why; the connection leaves the channel.
            long loggingOut = System.nanoTime();
            user.sendText(chat, "LOGOUT");
            JsonNode kicked = awaitMembership(watcher, room, user.userId(), "leave");
            System.err.printf("[IdentifiedUsersIT] LOGOUT sent in Matrix -> out of the restricted room: %d ms%n",
                    (System.nanoTime() - loggingOut) / 1_000_000);
            assertEquals(bot, kicked.path("sender").asText());
            assertEquals(channel + " on Test IRC admits only users identified to an account, and your IRC connection no longer is.",
                    kicked.path("content").path("reason").asText());
            assertFalse(kicked.path("content").has("org.matrix.msc3217.softkick"), "eligibility lost is not a dropped connection");
            JsonNode removed = awaitMembership(user, identifiedRoom, user.userId(), "leave");
            assertEquals(bot, removed.path("sender").asText());
            assertEquals("Your IRC connection to Test IRC is no longer identified to an account.",
                    removed.path("content").path("reason").asText());
            oper.awaitMessage(m -> m.is("PART") && nick.equals(m.sourceNick()) && channel.equalsIgnoreCase(m.param(0)), WAIT);

            // And the homeserver refuses them again.
            assertEquals(403, user.post("join/" + MatrixTestClient.enc(room), Map.of()).status());
        }
    }

    @Test
    void aStoredLoginIdentifiesEveryConnectionWithSaslSoARestrictedRoomOutlivesADroppedConnection() {
        String account = bed.uniqueName("acct");
        String password = bed.uniqueName("pw");
        // The account exists on the network: someone registered it with NickServ on IRC.
        registerAccount(account, password);
        RestrictedPortal portal = restrictedPortal();
        String channel = portal.on().channel();
        try (IrcTestClient oper = portal.on().oper()) {
            MatrixTestClient watcher = portal.on().user();
            String room = portal.on().room();
            String identifiedRoom = portal.identifiedRoom();

            MatrixTestClient user = MatrixTestClient.register(bed, bed.uniqueName("mx"));
            String adminRoom = user.createDirectChat(bot);
            Await.until(WAIT, "the bot joins the admin room", () -> user.members(adminRoom).contains(bot));

            // A wrong password: the new connection's SASL login is refused (904), and the login is not kept.
            user.sendText(adminRoom, "!login " + account + " wrong" + password);
            String refused = awaitFromBot(user, adminRoom, "did not accept the login");
            assertTrue(refused.startsWith("Test IRC did not accept the login as " + account + ": "), refused);

            // The right one: the connection, already up, is identified through NickServ, and the login is kept.
            user.sendText(adminRoom, "!login " + account + " " + password);
            String accepted = awaitFromBot(user, adminRoom, "You are identified as");
            assertTrue(accepted.startsWith("You are identified as " + account + " on Test IRC."), accepted);
            awaitMembership(user, identifiedRoom, user.userId(), "invite");
            user.join(identifiedRoom);
            user.join(room);
            String nick = awaitNickOnChannel(oper, channel);

            // The connection drops: a soft kick. Joining again reconnects at once, and the new connection logs in
            // with SASL before it JOINs: the registered-only channel takes it, where an unidentified one gets 477.
            oper.send("KILL " + nick + " :testing SASL");
            JsonNode softKick = awaitMembership(watcher, room, user.userId(), "leave");
            assertTrue(softKick.path("content").path("org.matrix.msc3217.softkick").asBoolean(), softKick::toString);
            long rejoining = System.nanoTime();
            user.join(room);
            assertEquals(nick, awaitNickOnChannel(oper, channel));
            System.err.printf("[IdentifiedUsersIT] join after the soft kick -> reconnected with SASL and on the +R channel: %d ms%n",
                    (System.nanoTime() - rejoining) / 1_000_000);
            assertTrue(user.members(identifiedRoom).contains(user.userId()), "still among the identified users");
            assertTrue(user.members(room).contains(user.userId()));
        }
    }

    @Test
    void aConnectionThatComesBackWithoutItsAccountTakesTheUserOutOfTheIdentifiedRoom() {
        MatrixTestClient user = MatrixTestClient.register(bed, bed.uniqueName("mx"));
        String nickServ = ghost("NickServ");
        String chat = user.createDirectChat(nickServ);
        awaitMembership(user, chat, nickServ, "join");
        user.sendText(chat, "REGISTER " + bed.uniqueName("pw") + " " + bed.uniqueName("mail") + "@example.org");
        String identifiedRoom = user.awaitInvite(WAIT);
        assertEquals(bot, awaitMembership(user, identifiedRoom, user.userId(), "invite").path("sender").asText());
        user.join(identifiedRoom);

        // Identified with NickServ, not with a stored login: the next connection does not have the account.
        String nick = user.userId().substring(1, user.userId().indexOf(':')) + "[m]";
        try (IrcTestClient oper = IrcTestClient.connect(bed, bed.uniqueName("op"))) {
            oper.oper();
            oper.send("KILL " + nick + " :testing");
            Await.until(WAIT, "the bridge sees the connection end", () -> bridge.output().stream()
                    .anyMatch(l -> l.contains(user.userId() + "'s IRC connection to Test IRC ended")));
        }
        user.sendText(chat, "HELP");
        JsonNode removed = awaitMembership(user, identifiedRoom, user.userId(), "leave");
        assertEquals(bot, removed.path("sender").asText());
        assertEquals("Your IRC connection to Test IRC is no longer identified to an account.",
                removed.path("content").path("reason").asText());
    }

    /** A registered-only channel, with a Matrix user who was in its room before it became so, and the identified room. */
    private record RestrictedPortal(OnChannel on, String identifiedRoom) {
    }

    /** A Matrix user on a new channel, then the oper sets +R and the room becomes restricted. */
    private static RestrictedPortal restrictedPortal() {
        OnChannel on = matrixUserOnChannel("reg");
        on.oper().send("MODE " + on.channel() + " +R");
        JsonNode rules = on.user().awaitEvent(on.room(), e -> "m.room.join_rules".equals(e.path("type").asText())
                && "restricted".equals(e.path("content").path("join_rule").asText()), WAIT);
        return new RestrictedPortal(on, rules.path("content").path("allow").path(0).path("room_id").asText());
    }

    private static String awaitFromBot(MatrixTestClient user, String room, String fragment) {
        return user.awaitEvent(room, e -> bot.equals(e.path("sender").asText())
                && e.path("content").path("body").asText().contains(fragment), WAIT).path("content").path("body").asText();
    }

    /** The nick of the next Matrix user's connection to JOIN the channel, once it is in NAMES. */
    private static String awaitNickOnChannel(IrcTestClient oper, String channel) {
        IrcMessage join = oper.awaitMessage(m -> m.is("JOIN") && channel.equalsIgnoreCase(m.param(0))
                && m.sourceNick().endsWith("[m]"), WAIT);
        Await.until(WAIT, join.sourceNick() + " in NAMES of " + channel, () -> oper.names(channel).contains(join.sourceNick()));
        return join.sourceNick();
    }
}
