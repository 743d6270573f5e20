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

    @BeforeAll
    static void start() {
        startBridge("identified");
        bed.startServices();
    }

    @Test
    void identifyingWithNickServLetsAUserIntoARestrictedRoomAndLoggingOutTakesThemOut() {
        String channel = "#" + bed.uniqueName("reg");
        try (IrcTestClient oper = IrcTestClient.connect(bed, bed.uniqueName("op"))) {
            oper.join(channel);
            // Someone already in the portal room watches it become restricted.
            MatrixTestClient watcher = MatrixTestClient.register(bed, bed.uniqueName("mx"));
            String room = watcher.join(alias(channel));
            awaitNickOnChannel(oper, channel);
            oper.send("MODE " + channel + " +R");
            JsonNode rules = watcher.awaitEvent(room, e -> "m.room.join_rules".equals(e.path("type").asText())
                    && "restricted".equals(e.path("content").path("join_rule").asText()), WAIT);
            String identifiedRoom = rules.path("content").path("allow").path(0).path("room_id").asText();

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

            assertEquals(identifiedRoom, user.awaitInvite(WAIT), "the invite is to the room of identified users");
            JsonNode invite = awaitMembership(user, identifiedRoom, user.userId(), "invite");
            assertEquals(bot, invite.path("sender").asText());
            assertTrue(invite.path("content").path("reason").asText().startsWith("Your IRC connection to Test IRC is identified as "),
                    invite::toString);
            user.join(identifiedRoom);

            // Now the restricted room lets the user in, and the registered-only channel takes their connection.
            user.join(room);
            String nick = awaitNickOnChannel(oper, channel);

            // Logging out (901) takes the user out of both rooms, by the bot, saying why; the connection leaves the channel.
            user.sendText(chat, "LOGOUT");
            JsonNode kicked = awaitMembership(watcher, room, user.userId(), "leave");
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

    /** The nick of the next Matrix user's connection to JOIN the channel, once it is in NAMES. */
    private static String awaitNickOnChannel(IrcTestClient oper, String channel) {
        IrcMessage join = oper.awaitMessage(m -> m.is("JOIN") && channel.equalsIgnoreCase(m.param(0))
                && m.sourceNick().endsWith("[m]"), WAIT);
        Await.until(WAIT, join.sourceNick() + " in NAMES of " + channel, () -> oper.names(channel).contains(join.sourceNick()));
        return join.sourceNick();
    }
}
