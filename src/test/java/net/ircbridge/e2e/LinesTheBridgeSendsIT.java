package net.ircbridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import net.ircbridge.testbed.Await;
import net.ircbridge.testbed.IrcMessage;
import net.ircbridge.testbed.IrcTestClient;
import net.ircbridge.testbed.MatrixTestClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every line the bridge sends fits IRC's 512 bytes and names only what may be named (issue 11, item 4): long kick,
 * ban, topic, leave and knock reasons from Matrix arrive cut instead of losing the whole command, and ghosts whose
 * user ids decode to masks or words ({@code =2a} is {@code *}, {@code a=20b} is {@code a b}) are never kicked,
 * banned or messaged on IRC: the Matrix user is told instead.
 */
class LinesTheBridgeSendsIT extends OneBridgePerClass {

    @BeforeAll
    static void start() {
        startBridge("lines");
    }

    /** A Matrix user who is a channel operator on a channel (and so may kick, ban and set the topic in its room). */
    private static OnChannel matrixOperatorOnChannel(String prefix) {
        OnChannel on = matrixUserOnChannel(prefix);
        on.oper().send("MODE " + on.channel() + " +o " + on.nick());
        Await.until(WAIT, "the Matrix user gets operator power in the room",
                () -> on.user().state(on.room(), "m.room.power_levels", "").path("users").path(on.user().userId()).asInt() == 50);
        return on;
    }

    /** An IRC user on the channel, once their ghost is in the room. */
    private static IrcTestClient onChannel(OnChannel on, String prefix) {
        IrcTestClient client = IrcTestClient.connect(bed, bed.uniqueName(prefix));
        client.join(on.channel());
        Await.until(WAIT, client.nick() + "'s ghost is in the room", () -> on.user().members(on.room()).contains(ghost(client.nick())));
        return client;
    }

    private static int bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    /** What came through is a non-empty start of what was sent, whole characters only, and the line fitted. */
    private static void assertCutFrom(String sent, IrcMessage received) {
        String arrived = received.trailing();
        assertFalse(arrived.isEmpty(), received.raw());
        assertFalse(arrived.contains("\uFFFD"), "no character was split: " + received.raw());
        assertTrue(sent.startsWith(arrived), "a start of what was sent: " + received.raw());
        assertTrue(bytes(received.raw()) <= 510, "the relayed line fits: " + bytes(received.raw()) + " bytes");
    }

    private static void post(MatrixTestClient user, String room, String action, Map<String, ?> body) {
        user.post("rooms/" + MatrixTestClient.enc(room) + "/" + action, body).orThrow(action);
    }

    @Test
    void longKickAndBanReasonsAreCutAndTheKicksHappen() {
        OnChannel on = matrixOperatorOnChannel("longkick");
        try (IrcTestClient op = on.oper();
                IrcTestClient plain = onChannel(on, "kp");
                IrcTestClient wide = onChannel(on, "kw");
                IrcTestClient banned = onChannel(on, "kb")) {
            String ascii = "You were warned. ".repeat(30); // 510 characters
            String euros = "€".repeat(667); // 2,001 bytes, three to a character
            String banReason = "Banned for good: " + "b".repeat(600);

            post(on.user(), on.room(), "kick", Map.of("user_id", ghost(plain.nick()), "reason", ascii));
            assertCutFrom(ascii, op.awaitMessage(m -> m.is("KICK") && m.param(1).equalsIgnoreCase(plain.nick()), WAIT));

            post(on.user(), on.room(), "kick", Map.of("user_id", ghost(wide.nick()), "reason", euros));
            assertCutFrom(euros, op.awaitMessage(m -> m.is("KICK") && m.param(1).equalsIgnoreCase(wide.nick()), WAIT));

            post(on.user(), on.room(), "ban", Map.of("user_id", ghost(banned.nick()), "reason", banReason));
            IrcMessage ban = op.awaitMessage(m -> m.is("MODE") && m.raw().contains("+b"), WAIT);
            assertTrue(ban.raw().endsWith(banned.nick() + "!*@*"), ban.raw());
            assertCutFrom(banReason, op.awaitMessage(m -> m.is("KICK") && m.param(1).equalsIgnoreCase(banned.nick()), WAIT));

            Await.until(WAIT, "the three are off the channel", () -> {
                var names = op.names(on.channel());
                return !names.contains(plain.nick()) && !names.contains(wide.nick()) && !names.contains(banned.nick());
            });
        }
    }

    @Test
    void aLongTopicFromMatrixReachesTheChannelCutAndIsNotReportedAsNotConnected() {
        OnChannel on = matrixOperatorOnChannel("longtopic");
        try (IrcTestClient op = on.oper()) {
            String topic = "The topic of this channel, at some length: " + "t".repeat(1000);
            on.user().sendState(on.room(), "m.room.topic", "", Map.of("topic", topic));
            IrcMessage set = op.awaitMessage(m -> m.is("TOPIC") && m.param(0).equalsIgnoreCase(on.channel()), WAIT);
            assertEquals(on.nick(), set.sourceNick());
            assertCutFrom(topic, set);

            // A message after it arrives, and by then the room heard nothing about the topic failing.
            on.user().sendText(on.room(), "after the topic");
            op.awaitPrivmsg(on.channel(), "after the topic", WAIT);
            assertTrue(on.user().roomMessages(on.room()).stream().noneMatch(e -> bot.equals(e.path("sender").asText())
                    && e.path("content").path("body").asText().contains("not sent")), "no answer about the topic");
        }
    }

    @Test
    void aLongLeaveReasonPartsTheChannelWithTheReasonCutOnACharacterBoundary() {
        OnChannel on = matrixUserOnChannel("longpart");
        try (IrcTestClient op = on.oper()) {
            String reason = "😀".repeat(600); // 2,400 bytes, four to a character
            post(on.user(), on.room(), "leave", Map.of("reason", reason));
            IrcMessage part = op.awaitMessage(m -> m.is("PART") && m.sourceNick().equals(on.nick()), WAIT);
            assertEquals(on.channel(), part.param(0));
            assertCutFrom(reason, part);
        }
    }

    @Test
    void aLongKnockReasonReachesTheChannelsOperatorsCut() {
        Channel c = channelWithModes("+i", "knock");
        String channel = c.name();
        String room = c.room();
        try (IrcTestClient oper = c.oper()) {
            MatrixTestClient knocker = MatrixTestClient.register(bed, bed.uniqueName("kn"));
            String reason = "Please let me in, I have a lot to say: " + "k".repeat(700);
            knocker.post("knock/" + MatrixTestClient.enc(room), Map.of("reason", reason)).orThrow("knocking");
            IrcMessage knock = oper.awaitMessage(m -> m.is("710") && m.raw().contains(channel), WAIT);
            String said = knock.trailing();
            assertTrue(said.startsWith("is KNOCKing: Please let me in, I have a lot to say: kkk"), knock.raw());
            assertTrue(reason.startsWith(said.substring("is KNOCKing: ".length())), knock.raw());
        }
    }

    @Test
    void ghostsWhoseIdsDecodeToMasksOrWordsAreNeverBannedOrKickedOnIrc() {
        OnChannel on = matrixOperatorOnChannel("maskban");
        try (IrcTestClient op = on.oper();
                IrcTestClient victim = onChannel(on, "vic");
                IrcTestClient troll = onChannel(on, "trl")) {
            String everyone = "@irc_testnet_=2a:" + bed.serverName(); // "*"
            String everyMask = "@irc_testnet_=2a=21=2a=40=2a:" + bed.serverName(); // "*!*@*"
            String words = "@irc_testnet_" + victim.nick().toLowerCase() + "=20b:" + bed.serverName(); // "<victim> b"
            for (String id : List.of(everyone, everyMask, words)) {
                post(on.user(), on.room(), "ban", Map.of("user_id", id, "reason", "gone"));
            }
            // Lifting the ban is a leave sent by someone else: a kick, to the bridge.
            post(on.user(), on.room(), "unban", Map.of("user_id", words));

            for (String target : List.of("*", "*!*@*", victim.nick().toLowerCase() + " b")) {
                on.user().awaitEvent(on.room(), e -> bot.equals(e.path("sender").asText())
                        && e.path("content").path("body").asText().equals(on.user().userId() + ": nothing was sent to Test IRC: "
                                + target + " is not a name the bridge can use on IRC."), WAIT);
            }

            // A real ban after them comes through, so whatever they made would have arrived before it.
            post(on.user(), on.room(), "ban", Map.of("user_id", ghost(troll.nick()), "reason", "trolling"));
            op.awaitMessage(m -> m.is("KICK") && m.param(1).equalsIgnoreCase(troll.nick()), WAIT);
            List<String> bans = op.receivedLines().stream().filter(l -> l.contains(" MODE ") && l.contains("+b")).toList();
            assertEquals(1, bans.size(), bans::toString);
            assertTrue(bans.get(0).endsWith(troll.nick() + "!*@*"), bans::toString);
            assertTrue(op.receivedLines().stream().noneMatch(l -> l.contains(" KICK ") && l.toLowerCase().contains(victim.nick().toLowerCase())),
                    op.receivedLines()::toString);
            assertTrue(op.names(on.channel()).contains(victim.nick()), "the victim is still on the channel");
        }
    }

    /** Registers a user of the bridge's namespace, as the bridge would, with its as_token. */
    private static void registerAsTheAppservice(String userId) {
        String localpart = userId.substring(1, userId.indexOf(':'));
        try {
            String token = net.ircbridge.config.Registration.read(bed.registrationFile()).asToken();
            java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest
                    .newBuilder(java.net.URI.create(bed.synapseUrl() + "/_matrix/client/v3/register"))
                    .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                    .POST(java.net.http.HttpRequest.BodyPublishers.ofString("{\"type\":\"m.login.application_service\",\"username\":\""
                            + localpart + "\",\"inhibit_login\":true}"))
                    .build(), java.net.http.HttpResponse.BodyHandlers.ofString());
            assertTrue(r.statusCode() == 200 || r.body().contains("M_USER_IN_USE"), r.body());
        } catch (java.io.IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void directChatsWithGhostsWhoseIdsDecodeToMasksOrWordsAreDeclinedAndSendNothing() {
        try (IrcTestClient bob = IrcTestClient.connect(bed, bed.uniqueName("bob"))) {
            MatrixTestClient user = MatrixTestClient.register(bed, bed.uniqueName("mx"));
            String everyone = "@irc_testnet_=2a:" + bed.serverName();
            String words = "@irc_testnet_" + bob.nick().toLowerCase() + "=20b:" + bed.serverName(); // "PRIVMSG bob b :..."
            for (String id : List.of(everyone, words)) {
                // The homeserver asks the bridge about such ids and it says they don't exist; a ghost registered before
                // that (or by another way) is what could still be in a direct chat.
                registerAsTheAppservice(id);
                String room = user.createDirectChat(id);
                JsonNode declined = awaitMembership(user, room, id, "leave");
                assertTrue(declined.path("content").path("reason").asText().contains("is not a name the bridge can use on IRC"),
                        declined.toString());
                user.sendText(room, "are you there?");
            }

            // A direct chat with bob himself works, and is all he gets.
            String room = user.createDirectChat(ghost(bob.nick()));
            awaitMembership(user, room, ghost(bob.nick()), "join");
            user.sendText(room, "hello bob");
            bob.awaitPrivmsg(bob.nick(), "hello bob", WAIT);
            assertTrue(bob.receivedLines().stream().filter(l -> l.contains(" PRIVMSG ")).count() == 1, bob.receivedLines()::toString);
        }
    }
}
