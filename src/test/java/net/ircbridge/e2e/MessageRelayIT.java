package net.ircbridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.ircbridge.testbed.Await;
import net.ircbridge.testbed.IrcMessage;
import net.ircbridge.testbed.IrcTestClient;
import net.ircbridge.testbed.MatrixTestClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Conversation across the bridge (issue 5, items 1, 7, 8 and 9): messages, notices and actions both ways, from
 * ghosts on Matrix and from Matrix users' own connections on IRC; topics both ways; each line bridged once, in
 * order, never echoed; and Matrix messages that cannot reach IRC answered with the reason.
 */
class MessageRelayIT extends OneBridgePerClass {

    @BeforeAll
    static void start() {
        // A bucket big enough that these tests never wait for it (FloodControlIT tests the bucket).
        startBridge("relay", "send-rate:\n        burst: 50\n        interval-millis: 50");
    }

    /** A bridged channel: an IRC user who made it (its operator) and a Matrix user in its room. */
    record Portal(String channel, IrcTestClient op, MatrixTestClient user, String room, String nick) implements AutoCloseable {
        @Override
        public void close() {
            op.close();
        }
    }

    /** Makes a channel with an IRC operator, then a Matrix user joins its room; returns once each sees the other. */
    static Portal portal(String prefix) {
        String channel = "#" + bed.uniqueName(prefix);
        IrcTestClient op = IrcTestClient.connect(bed, bed.uniqueName("op"));
        op.join(channel);
        MatrixTestClient user = MatrixTestClient.register(bed, bed.uniqueName("mx"));
        String room = user.join(alias(channel));
        String nick = op.awaitMessage(m -> m.is("JOIN") && m.sourceNick().endsWith("[m]"), WAIT).sourceNick();
        Await.until(WAIT, "the operator's ghost is in the room", () -> user.members(room).contains(ghost(op.nick())));
        return new Portal(channel, op, user, room, nick);
    }

    static JsonNode awaitFrom(MatrixTestClient user, String room, String sender, String body) {
        return user.awaitEvent(room, e -> "m.room.message".equals(e.path("type").asText())
                && sender.equals(e.path("sender").asText()) && body.equals(e.path("content").path("body").asText()), WAIT);
    }

    /** A notice from the bot answering a message, as a reply to it. */
    static JsonNode awaitAnswer(MatrixTestClient user, String room, String eventId) {
        return awaitAnswer(user, room, eventId, bot);
    }

    /** A notice from {@code speaker} answering a message, as a reply to it. */
    static JsonNode awaitAnswer(MatrixTestClient user, String room, String eventId, String speaker) {
        return user.awaitEvent(room, e -> speaker.equals(e.path("sender").asText()) && "m.notice".equals(e.path("content").path("msgtype").asText())
                && eventId.equals(e.path("content").path("m.relates_to").path("m.in_reply_to").path("event_id").asText()), WAIT);
    }

    @Test
    void ircMessagesNoticesAndActionsAreSaidInTheRoomByTheGhost() {
        try (Portal p = portal("ircmsg")) {
            p.op().privmsg(p.channel(), "hello from IRC");
            p.op().send("NOTICE " + p.channel() + " :a notice from IRC");
            p.op().send("PRIVMSG " + p.channel() + " :\u0001ACTION waves\u0001");
            String ghost = ghost(p.op().nick());
            assertEquals("m.text", awaitFrom(p.user(), p.room(), ghost, "hello from IRC").path("content").path("msgtype").asText());
            assertEquals("m.notice", awaitFrom(p.user(), p.room(), ghost, "a notice from IRC").path("content").path("msgtype").asText());
            assertEquals("m.emote", awaitFrom(p.user(), p.room(), ghost, "waves").path("content").path("msgtype").asText());
        }
    }

    @Test
    void matrixMessagesNoticesAndEmotesAreSaidOnTheChannelByTheUsersOwnConnection() {
        try (Portal p = portal("mxmsg")) {
            p.user().sendText(p.room(), "hello from Matrix");
            p.user().sendEvent(p.room(), "m.room.message", Map.of("msgtype", "m.notice", "body", "a notice from Matrix"));
            p.user().sendEvent(p.room(), "m.room.message", Map.of("msgtype", "m.emote", "body", "waves back"));
            IrcMessage text = p.op().awaitPrivmsg(p.channel(), "hello from Matrix", WAIT);
            assertEquals(p.nick(), text.sourceNick());
            IrcMessage notice = p.op().awaitMessage(m -> m.is("NOTICE") && m.trailing().equals("a notice from Matrix"), WAIT);
            assertEquals(p.nick(), notice.sourceNick());
            IrcMessage action = p.op().awaitPrivmsg(p.channel(), "\u0001ACTION waves back\u0001", WAIT);
            assertEquals(p.nick(), action.sourceNick());
        }
    }

    @Test
    void aLineSeenByManyOfTheBridgesConnectionsIsBridgedOnceAndNothingEchoes() {
        try (Portal p = portal("once")) {
            // A second Matrix user: two more of the bridge's connections on the channel besides the bot.
            MatrixTestClient other = MatrixTestClient.register(bed, bed.uniqueName("mx"));
            other.join(p.room());
            p.op().awaitMessage(m -> m.is("JOIN") && m.sourceNick().endsWith("[m]") && !m.sourceNick().equals(p.nick()), WAIT);

            p.op().privmsg(p.channel(), "said once on IRC");
            String fromMatrix = p.user().sendText(p.room(), "said once on Matrix");
            p.op().awaitPrivmsg(p.channel(), "said once on Matrix", WAIT);
            p.op().privmsg(p.channel(), "marker");
            awaitFrom(p.user(), p.room(), ghost(p.op().nick()), "marker");

            List<JsonNode> messages = p.user().roomMessages(p.room()).stream()
                    .filter(e -> "m.room.message".equals(e.path("type").asText())).toList();
            assertEquals(1, messages.stream().filter(e -> "said once on IRC".equals(e.path("content").path("body").asText())).count());
            List<JsonNode> matrixOnes = messages.stream().filter(e -> "said once on Matrix".equals(e.path("content").path("body").asText())).toList();
            assertEquals(1, matrixOnes.size(), "no ghost repeats a Matrix user's line");
            assertEquals(fromMatrix, matrixOnes.get(0).path("event_id").asText());
            assertEquals(1, p.op().receivedLines().stream().filter(l -> l.endsWith(":said once on Matrix")).count());
        }
    }

    @Test
    void aHundredIrcLinesReachTheRoomInOrderEachOnce() {
        try (Portal p = portal("order")) {
            for (int i = 0; i < 100; i++) {
                p.op().privmsg(p.channel(), "line " + i);
            }
            String ghost = ghost(p.op().nick());
            List<String> seen = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                seen.add(p.user().awaitEvent(p.room(), e -> ghost.equals(e.path("sender").asText())
                        && e.path("content").path("body").asText().startsWith("line "), WAIT).path("content").path("body").asText());
            }
            List<String> expected = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                expected.add("line " + i);
            }
            assertEquals(expected, seen);
        }
    }

    @Test
    void aMessageBodyCannotInjectAnIrcCommand() {
        try (Portal p = portal("inject")) {
            String evil = "#" + bed.uniqueName("evil");
            p.user().sendText(p.room(), "hi\r\nJOIN " + evil + "\u0000\rPRIVMSG " + p.op().nick() + " :\u0001VERSION\u0001 x");
            // Each line of the message is the text of a PRIVMSG of its own: nothing after a CR or LF became a command.
            p.op().awaitPrivmsg(p.channel(), "hi", WAIT);
            p.op().awaitPrivmsg(p.channel(), "JOIN " + evil, WAIT);
            p.op().awaitPrivmsg(p.channel(), "PRIVMSG " + p.op().nick() + " :VERSION x", WAIT);
            p.user().sendText(p.room(), "marker");
            p.op().awaitPrivmsg(p.channel(), "marker", WAIT);
            List<String> fromUser = p.op().receivedLines().stream().filter(l -> l.startsWith(":" + p.nick() + "!")).toList();
            assertTrue(fromUser.stream().allMatch(l -> l.matches(".* JOIN :?" + java.util.regex.Pattern.quote(p.channel()))
                    || l.contains(" PRIVMSG " + p.channel() + " :")), fromUser::toString);
            assertTrue(p.op().names(evil).isEmpty(), "nobody joined " + evil);
        }
    }

    @Test
    void aMessageToAModeratedChannelWithoutVoiceIsAnsweredWithTheServersReason() {
        try (Portal p = portal("mod")) {
            p.op().send("MODE " + p.channel() + " +m");
            p.op().awaitMessage(m -> m.is("MODE") && m.param(1).equals("+m"), WAIT);
            String silenced = p.user().sendText(p.room(), "can anyone hear me?");
            JsonNode answer = awaitAnswer(p.user(), p.room(), silenced);
            String body = answer.path("content").path("body").asText();
            assertTrue(body.startsWith(p.user().userId() + ": Test IRC refused your message to " + p.channel() + ": "), body);
            assertTrue(body.contains("+m"), body);
            assertEquals(p.user().userId(), answer.path("content").path("m.mentions").path("user_ids").path(0).asText());

            p.op().send("MODE " + p.channel() + " +v " + p.nick());
            Await.until(WAIT, "the voice reaches the room", () -> p.user().state(p.room(), "m.room.power_levels", "")
                    .path("users").path(p.user().userId()).asInt() == 10);
            p.user().sendText(p.room(), "and now?");
            p.op().awaitPrivmsg(p.channel(), "and now?", WAIT);
        }
    }

    @Test
    void anIrcOperatorsTopicIsSetByTheirGhost() {
        try (Portal p = portal("topic")) {
            p.op().send("TOPIC " + p.channel() + " :Welcome to the channel");
            JsonNode topic = p.user().awaitEvent(p.room(), e -> "m.room.topic".equals(e.path("type").asText())
                    && "Welcome to the channel".equals(e.path("content").path("topic").asText()), WAIT);
            assertEquals(ghost(p.op().nick()), topic.path("sender").asText());
        }
    }

    @Test
    void aTopicFromAnIrcUserWhoseGhostLacksThePowerIsSetByTheBotNamingThem() {
        try (Portal p = portal("topic")) {
            p.op().send("MODE " + p.channel() + " -t");
            p.op().awaitMessage(m -> m.is("MODE") && m.param(1).equals("-t"), WAIT);
            try (IrcTestClient someone = IrcTestClient.connect(bed, bed.uniqueName("any"))) {
                someone.join(p.channel());
                Await.until(WAIT, "their ghost is in the room", () -> p.user().members(p.room()).contains(ghost(someone.nick())));
                someone.send("TOPIC " + p.channel() + " :anyone may set this");
                JsonNode topic = p.user().awaitEvent(p.room(), e -> "m.room.topic".equals(e.path("type").asText())
                        && "anyone may set this".equals(e.path("content").path("topic").asText()), WAIT);
                assertEquals(bot, topic.path("sender").asText());
                awaitFrom(p.user(), p.room(), bot, someone.nick() + " changed the topic on IRC.");
            }
        }
    }

    @Test
    void aMatrixUsersTopicIsSetOnTheChannelByTheirOwnConnection() {
        try (Portal p = portal("topic")) {
            // Changing a room's topic takes power 50: the channel operator's.
            p.op().send("MODE " + p.channel() + " +o " + p.nick());
            Await.until(WAIT, "the Matrix user is an operator in the room", () -> p.user().state(p.room(), "m.room.power_levels", "")
                    .path("users").path(p.user().userId()).asInt() == 50);
            p.user().sendState(p.room(), "m.room.topic", "", Map.of("topic", "set on Matrix"));
            IrcMessage topic = p.op().awaitMessage(m -> m.is("TOPIC") && m.trailing().equals("set on Matrix"), WAIT);
            assertEquals(p.nick(), topic.sourceNick());
            p.op().privmsg(p.channel(), "marker");
            awaitFrom(p.user(), p.room(), ghost(p.op().nick()), "marker");
            assertEquals(1, p.user().roomMessages(p.room()).stream().filter(e -> "m.room.topic".equals(e.path("type").asText())
                    && "set on Matrix".equals(e.path("content").path("topic").asText())).count(), "the topic is not set again from IRC");
        }
    }
}
