package net.ircbridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import net.ircbridge.testbed.Await;
import net.ircbridge.testbed.IrcMessage;
import net.ircbridge.testbed.IrcTestClient;
import net.ircbridge.testbed.MatrixTestClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A private message in a direct chat with a ghost, and a topic set in a bridged room, reach IRC across a crash
 * (kill -9) or a stop of the bridge: their events are done only once their line left the user's token bucket, and
 * what the homeserver hands over while the bridge starts waits for the user's connection (made again at the start)
 * instead of being answered with "not connected".
 */
class PrivateMessagesAndTopicsSurviveACrashIT extends OneBridgePerClass {

    /** Generous: a restart, the homeserver's retry of its transactions and a new connection, on a loaded machine. */
    private static final Duration LONG = Duration.ofSeconds(150);
    /** At most the messages in the crash window (handed to the socket, not yet marked done) may be said twice. */
    private static final int MAX_DUPLICATES = 2;

    @BeforeAll
    static void start() {
        startBridge("pmcrash");
    }

    @Test
    void privateMessagesWaitingForTheTokenBucketAndSentWhileTheBridgeIsKilledAllReachTheNickInOrder() {
        try (IrcTestClient bob = IrcTestClient.connect(bed, bed.uniqueName("bob"))) {
            MatrixTestClient user = MatrixTestClient.register(bed, bed.uniqueName("mx"));
            String room = user.createDirectChat(ghost(bob.nick()));
            awaitMembership(user, room, ghost(bob.nick()), "join");
            user.sendText(room, "before the crash");
            bob.awaitMessage(m -> m.is("PRIVMSG") && m.trailing().equals("before the crash"), WAIT);

            for (int i = 1; i <= 10; i++) {
                user.sendText(room, "pm " + i);
            }
            // The tenth is accepted by the homeserver; most of them still wait for the user's token bucket (a burst of
            // 5, then a line every 1.2 s).
            bridge.kill();
            // The user's only connection was for this chat: the start makes it again, and these wait for it.
            for (int i = 11; i <= 15; i++) {
                user.sendText(room, "pm " + i);
            }
            bridge = BridgeProcess.start(config);

            List<String> seen = new ArrayList<>();
            while (!seen.contains("pm 15")) {
                IrcMessage m = bob.awaitMessage(x -> x.is("PRIVMSG") && x.param(0).equalsIgnoreCase(bob.nick())
                        && x.trailing().startsWith("pm "), LONG);
                assertTrue(m.sourceNick().endsWith("[m]"), m.toString());
                seen.add(m.trailing());
            }
            List<String> expected = new ArrayList<>();
            for (int i = 1; i <= 15; i++) {
                expected.add("pm " + i);
            }
            assertEquals(expected, List.copyOf(new LinkedHashSet<>(seen)), "every message, in order (first sightings): " + seen);
            System.out.println("[PrivateMessagesAndTopicsSurviveACrashIT] 15 sent, 15 delivered, "
                    + (seen.size() - expected.size()) + " duplicated: " + seen);
            assertTrue(seen.size() - expected.size() <= MAX_DUPLICATES, "duplicates beyond the crash window: " + seen);
            assertNoRefusals(user, room, ghost(bob.nick()));
        }
    }

    @Test
    void aPrivateMessageSentWhileTheBridgeIsStoppedWaitsForTheConnectionMadeAtTheStart() {
        try (IrcTestClient carol = IrcTestClient.connect(bed, bed.uniqueName("carol"))) {
            MatrixTestClient user = MatrixTestClient.register(bed, bed.uniqueName("mx"));
            String room = user.createDirectChat(ghost(carol.nick()));
            awaitMembership(user, room, ghost(carol.nick()), "join");
            user.sendText(room, "before the stop");
            carol.awaitMessage(m -> m.is("PRIVMSG") && m.trailing().equals("before the stop"), WAIT);

            // Carol shares no channel with the user, so she sees no QUIT: the stop has waited for the bridge to exit.
            bridge.stop();
            // Handed over during the start, while the restore is still making the user's connection.
            user.sendText(room, "while stopped");
            bridge = BridgeProcess.start(config);

            IrcMessage pm = carol.awaitMessage(m -> m.is("PRIVMSG") && m.trailing().equals("while stopped"), LONG);
            assertTrue(pm.sourceNick().endsWith("[m]"), pm.toString());
            assertNoRefusals(user, room, ghost(carol.nick()));
        }
    }

    @Test
    void aTopicSetWhileTheBridgeIsStoppedReachesTheChannelAfterTheStart() {
        try (MessageRelayIT.Portal p = MessageRelayIT.portal("topicdown")) {
            // Changing a room's topic takes power 50, the channel operator's; after the restart the user's new
            // connection is no operator, so the channel lets anyone on it set the topic.
            p.op().send("MODE " + p.channel() + " -t");
            p.op().send("MODE " + p.channel() + " +o " + p.nick());
            Await.until(WAIT, "the Matrix user is an operator in the room", () -> p.user().state(p.room(), "m.room.power_levels", "")
                    .path("users").path(p.user().userId()).asInt() == 50);

            bridge.stop();
            p.op().awaitMessage(m -> m.is("QUIT") && p.nick().equals(m.sourceNick()), WAIT);
            p.user().sendState(p.room(), "m.room.topic", "", Map.of("topic", "set while the bridge was down"));
            bridge = BridgeProcess.start(config);

            IrcMessage topic = p.op().awaitMessage(m -> m.is("TOPIC") && m.trailing().equals("set while the bridge was down"), LONG);
            assertTrue(topic.sourceNick().endsWith("[m]"), topic.toString());
            assertNoRefusals(p.user(), p.room(), bot);
        }
    }

    @Test
    void aTopicSetWhileTheBridgeIsKilledReachesTheChannelAfterTheRestart() {
        try (MessageRelayIT.Portal p = MessageRelayIT.portal("topickill")) {
            p.op().send("MODE " + p.channel() + " -t");
            p.op().send("MODE " + p.channel() + " +o " + p.nick());
            Await.until(WAIT, "the Matrix user is an operator in the room", () -> p.user().state(p.room(), "m.room.power_levels", "")
                    .path("users").path(p.user().userId()).asInt() == 50);

            bridge.kill();
            p.user().sendState(p.room(), "m.room.topic", "", Map.of("topic", "set while the bridge was killed"));
            bridge = BridgeProcess.start(config);

            IrcMessage topic = p.op().awaitMessage(m -> m.is("TOPIC") && m.trailing().equals("set while the bridge was killed"), LONG);
            assertTrue(topic.sourceNick().endsWith("[m]"), topic.toString());
            assertNoRefusals(p.user(), p.room(), bot);
        }
    }

    /** No answer in the room said that a message (or topic) was not sent. */
    private static void assertNoRefusals(MatrixTestClient user, String room, String speaker) {
        List<String> refusals = user.roomMessages(room).stream()
                .filter(e -> "m.room.message".equals(e.path("type").asText()) && speaker.equals(e.path("sender").asText()))
                .map(e -> e.path("content").path("body").asText())
                .filter(body -> body.contains("not sent"))
                .toList();
        assertEquals(List.of(), refusals, "the bridge said something was not sent");
    }
}
