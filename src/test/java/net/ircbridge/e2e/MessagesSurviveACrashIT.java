package net.ircbridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import net.ircbridge.testbed.IrcMessage;
import net.ircbridge.testbed.IrcTestClient;
import net.ircbridge.testbed.MatrixTestClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What a Matrix user says reaches IRC across a crash (kill -9) or a restart of the bridge: an event is done only
 * once its lines left the user's token bucket (the default flood control: a burst of 5, then a line every 1.2 s),
 * so what was still waiting is handed on again at the next start, in order; and what arrives while the bridge
 * starts waits for the user's connection to be restored instead of being refused as "not connected".
 */
class MessagesSurviveACrashIT extends OneBridgePerClass {

    /** Generous: after a restart, up to 30 lines at 1.2 s each on a loaded machine, behind the homeserver's retry. */
    private static final Duration LONG = Duration.ofSeconds(150);
    /** At most the messages in the crash window (handed to the socket, not yet marked done) may be said twice. */
    private static final int MAX_DUPLICATES = 2;

    @BeforeAll
    static void start() {
        startBridge("crash");
    }

    @Test
    void thirtyMessagesWithAKillAfterTheTenthAllReachTheChannelInOrder() {
        String channel = "#" + bed.uniqueName("crash");
        try (IrcTestClient watcher = IrcTestClient.connect(bed, bed.uniqueName("w"))) {
            watcher.join(channel);
            MatrixTestClient user = MatrixTestClient.register(bed, bed.uniqueName("mx"));
            String room = user.join(alias(channel));
            watcher.awaitMessage(m -> m.is("JOIN") && m.sourceNick().endsWith("[m]"), WAIT);

            for (int i = 1; i <= 10; i++) {
                user.sendText(room, "crash " + i);
            }
            // The tenth is accepted by the homeserver; most of them still wait for the user's token bucket.
            bridge.kill();
            for (int i = 11; i <= 30; i++) {
                user.sendText(room, "crash " + i);
            }
            bridge = BridgeProcess.start(config);

            List<String> seen = said(watcher, channel, "crash ", "crash 30");
            List<String> expected = new ArrayList<>();
            for (int i = 1; i <= 30; i++) {
                expected.add("crash " + i);
            }
            assertEquals(expected, List.copyOf(new LinkedHashSet<>(seen)), "every message, in order (first sightings): " + seen);
            int duplicates = seen.size() - expected.size();
            System.out.println("[MessagesSurviveACrashIT] 30 sent, 30 delivered, 0 lost, " + duplicates + " duplicated: " + seen);
            assertTrue(duplicates <= MAX_DUPLICATES, duplicates + " duplicates, more than the crash window's: " + seen);
            assertNoRefusals(user, room);
        }
    }

    @Test
    void messagesSentWhileTheBridgeIsDownReachTheChannelWithoutANotConnectedAnswer() {
        String channel = "#" + bed.uniqueName("down");
        try (IrcTestClient watcher = IrcTestClient.connect(bed, bed.uniqueName("w"))) {
            watcher.join(channel);
            MatrixTestClient user = MatrixTestClient.register(bed, bed.uniqueName("mx"));
            String room = user.join(alias(channel));
            String nick = watcher.awaitMessage(m -> m.is("JOIN") && m.sourceNick().endsWith("[m]"), WAIT).sourceNick();

            bridge.stop();
            watcher.awaitMessage(m -> m.is("QUIT") && nick.equals(m.sourceNick()), WAIT);
            for (int i = 1; i <= 3; i++) {
                user.sendText(room, "while down " + i);
            }
            // The homeserver hands them over during the start (its retry follows the bridge's ping), before the
            // user's connection is restored.
            bridge = BridgeProcess.start(config);

            List<String> seen = said(watcher, channel, "while down ", "while down 3");
            assertEquals(List.of("while down 1", "while down 2", "while down 3"), seen);
            assertNoRefusals(user, room);
        }
    }

    @Test
    void aGracefulStopDuringABurstLeavesTheWaitingMessagesForTheNextStart() {
        String channel = "#" + bed.uniqueName("stop");
        try (IrcTestClient watcher = IrcTestClient.connect(bed, bed.uniqueName("w"))) {
            watcher.join(channel);
            MatrixTestClient user = MatrixTestClient.register(bed, bed.uniqueName("mx"));
            String room = user.join(alias(channel));
            watcher.awaitMessage(m -> m.is("JOIN") && m.sourceNick().endsWith("[m]"), WAIT);

            for (int i = 1; i <= 15; i++) {
                user.sendText(room, "stop " + i);
            }
            // The burst is out; the rest wait for tokens when the bridge is told to stop.
            List<String> before = said(watcher, channel, "stop ", "stop 5");
            bridge.stop();
            bridge = BridgeProcess.start(config);

            List<String> seen = new ArrayList<>(before);
            seen.addAll(said(watcher, channel, "stop ", "stop 15"));
            List<String> expected = new ArrayList<>();
            for (int i = 1; i <= 15; i++) {
                expected.add("stop " + i);
            }
            assertEquals(expected, List.copyOf(new LinkedHashSet<>(seen)), "every message, in order (first sightings): " + seen);
            assertTrue(seen.size() - expected.size() <= MAX_DUPLICATES, "duplicates: " + seen);
            assertNoRefusals(user, room);
        }
    }

    /** The texts said on the channel with this prefix, in the order they came, until {@code last} came. */
    private static List<String> said(IrcTestClient watcher, String channel, String prefix, String last) {
        List<String> seen = new ArrayList<>();
        while (!seen.contains(last)) {
            IrcMessage m = watcher.awaitMessage(x -> x.is("PRIVMSG") && x.param(0).equalsIgnoreCase(channel)
                    && x.trailing().startsWith(prefix), LONG);
            seen.add(m.trailing());
        }
        return seen;
    }

    /** No answer in the room said that a message was not sent. */
    private static void assertNoRefusals(MatrixTestClient user, String room) {
        List<String> refusals = user.roomMessages(room).stream()
                .filter(e -> "m.room.message".equals(e.path("type").asText()) && bot.equals(e.path("sender").asText()))
                .map(e -> e.path("content").path("body").asText())
                .filter(body -> body.contains("not sent"))
                .toList();
        assertTrue(refusals.isEmpty(), "the bridge said messages were not sent: " + refusals);
    }
}
