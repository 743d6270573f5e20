package net.ircbridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import net.ircbridge.testbed.Await;
import net.ircbridge.testbed.IrcTestClient;
import net.ircbridge.testbed.MatrixTestClient;
import net.ircbridge.testbed.TestBed;
import org.junit.jupiter.api.Test;

/**
 * Issue 12, finding 4: IRC → Matrix goes through a durable outbox. Lines said on IRC while the homeserver is down
 * all reach the room once it is back, in order and once each; also when the bridge is killed (kill -9) during the
 * outage; and a flood while it is down pauses reading from the network (said in the log) instead of growing the
 * bridge, and all of it arrives afterwards.
 */
class IrcMessagesSurviveHomeserverOutageIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    /** After the homeserver is back: the homeserver client's backoff reaches 30 s while it is down. */
    private static final Duration AFTER_OUTAGE = Duration.ofSeconds(120);
    /** The bridge says each line it has stored (at debug level). */
    private static final List<String> STORED_LOG = List.of(
            "-Dquarkus.log.category.\"net.ircbridge.bridge.relay.DeliversIrcMessagesToRooms\".level=DEBUG");

    /** A channel with an IRC user on it and a Matrix user in its room, each seeing the other. */
    private record Portal(String channel, IrcTestClient op, MatrixTestClient user, String room) implements AutoCloseable {
        @Override
        public void close() {
            op.close();
        }
    }

    private static Portal portal(TestBed bed, String prefix) {
        String channel = "#" + bed.uniqueName(prefix);
        IrcTestClient op = IrcTestClient.connect(bed, bed.uniqueName("op"));
        op.join(channel);
        MatrixTestClient user = MatrixTestClient.register(bed, bed.uniqueName("mx"));
        String room = user.join("#irc_testnet_" + channel.substring(1) + ":" + bed.serverName());
        op.awaitMessage(m -> m.is("JOIN") && m.sourceNick().endsWith("[m]"), WAIT);
        String ghost = ghost(bed, op.nick());
        Await.until(WAIT, "the operator's ghost is in the room", () -> user.members(room).contains(ghost));
        // Once a line gets through, nothing is held for the Matrix user any more.
        op.privmsg(channel, "before the outage");
        user.awaitMessage(room, "before the outage", WAIT);
        return new Portal(channel, op, user, room);
    }

    private static String ghost(TestBed bed, String nick) {
        return "@irc_testnet_" + nick.toLowerCase() + ":" + bed.serverName();
    }

    @Test
    void linesSaidWhileTheHomeserverIsDownAllReachTheRoomInOrderOnceItIsBack() throws Exception {
        TestBed bed = TestBed.get();
        Path config = TestBridgeConfig.write(bed, "outbox-outage");
        try (BridgeProcess bridge = BridgeProcess.start(config, STORED_LOG); Portal p = portal(bed, "outage")) {
            int lines = 20;
            long before = storedBeforeTheOutage(bridge, p.room());
            try {
                bed.stopSynapse();
                for (int i = 1; i <= lines; i++) {
                    p.op().privmsg(p.channel(), "outage line " + i);
                }
                awaitStored(bridge, p.room(), before, lines);
            } finally {
                bed.startSynapseAgain();
            }
            assertAllArrive(p, ghost(bed, p.op().nick()), "outage line ", lines);
        }
    }

    @Test
    void linesSaidWhileTheHomeserverIsDownSurviveTheBridgeBeingKilled() throws Exception {
        survivesARestartDuringTheOutage("crash", true);
    }

    @Test
    void linesSaidWhileTheHomeserverIsDownSurviveAGracefulRestartOfTheBridge() throws Exception {
        survivesARestartDuringTheOutage("restart", false);
    }

    private static void survivesARestartDuringTheOutage(String name, boolean kill) throws Exception {
        TestBed bed = TestBed.get();
        Path config = TestBridgeConfig.write(bed, "outbox-" + name);
        BridgeProcess bridge = BridgeProcess.start(config, STORED_LOG);
        try (Portal p = portal(bed, name)) {
            int lines = 15;
            long before = storedBeforeTheOutage(bridge, p.room());
            try {
                bed.stopSynapse();
                for (int i = 1; i <= lines; i++) {
                    p.op().privmsg(p.channel(), name + " line " + i);
                }
                // Only what the bridge has stored can survive a kill -9: the lines it has not read yet are IRC's.
                awaitStored(bridge, p.room(), before, lines);
                if (kill) {
                    bridge.kill();
                } else {
                    bridge.stop();
                }
            } finally {
                bed.startSynapseAgain();
            }
            bridge = BridgeProcess.start(config, STORED_LOG);
            assertAllArrive(p, ghost(bed, p.op().nick()), name + " line ", lines);
            assertTrue(bridge.output().stream().anyMatch(l -> l.contains(lines + " lines from " + p.channel() + " wait for " + p.room()
                    + " since before the restart")), "the bridge says it sends what waited since before the restart");
        } finally {
            bridge.close();
        }
    }

    @Test
    void aFloodWhileTheHomeserverIsDownPausesReadingFromTheNetworkAndAllOfItArrivesAfterwards() throws Exception {
        TestBed bed = TestBed.get();
        Path config = TestBridgeConfig.write(bed, "outbox-flood");
        int backlog = 20;
        Files.writeString(config, Files.readString(config).replace("\nirc:\n",
                "\nrelay:\n  max-room-backlog: " + backlog + "\n  max-queued-irc-lines: 100000\nirc:\n"));
        try (BridgeProcess bridge = BridgeProcess.start(config); Portal p = portal(bed, "flood")) {
            int lines = 300;
            long heapBefore;
            long heapPaused;
            try {
                heapBefore = liveHeapKb(bridge);
                bed.stopSynapse();
                for (int i = 1; i <= lines; i++) {
                    p.op().privmsg(p.channel(), "flood line " + i);
                }
                bridge.awaitLog(l -> l.contains("Pausing reading from " + TestBridgeConfig.NETWORK) && l.contains(p.room())
                        && l.contains("relay.max-room-backlog " + backlog), WAIT);
                heapPaused = liveHeapKb(bridge);
            } finally {
                bed.startSynapseAgain();
            }
            assertAllArrive(p, ghost(bed, p.op().nick()), "flood line ", lines);
            bridge.awaitLog(l -> l.contains("Reading from " + TestBridgeConfig.NETWORK + " again"), WAIT);
            System.out.printf("[outbox] live heap (after a full GC) before the flood %d KB, while paused %d KB%n", heapBefore, heapPaused);
            assertTrue(heapPaused < heapBefore + 32 * 1024, "the flood does not grow the live heap: " + heapBefore + " KB, then "
                    + heapPaused + " KB");
        }
    }

    /** How many lines the bridge has said (at debug level) that it stored for the room. */
    private static long stored(BridgeProcess bridge, String room) {
        return bridge.output().stream().filter(l -> l.contains("Stored line ") && l.endsWith(" for " + room)).count();
    }

    /** The one line said before the outage is stored (its log line may come a moment after it reached the room). */
    private static long storedBeforeTheOutage(BridgeProcess bridge, String room) {
        Await.until(WAIT, "the line before the outage is stored", () -> stored(bridge, room) >= 1);
        return stored(bridge, room);
    }

    /** Waits until the bridge has stored {@code lines} more lines for the room than {@code before}. */
    private static void awaitStored(BridgeProcess bridge, String room, long before, int lines) {
        Await.until(WAIT, lines + " more lines are stored for " + room, () -> stored(bridge, room) >= before + lines);
    }

    /** Every numbered line reaches the room from the ghost, once each and in order. */
    private static void assertAllArrive(Portal p, String ghost, String prefix, int lines) {
        p.user().awaitEvent(p.room(), e -> ghost.equals(e.path("sender").asText())
                && (prefix + lines).equals(e.path("content").path("body").asText()), AFTER_OUTAGE);
        List<String> bodies = new ArrayList<>();
        for (JsonNode e : allEvents(p.user(), p.room())) {
            String body = e.path("content").path("body").asText();
            if ("m.room.message".equals(e.path("type").asText()) && body.startsWith(prefix)) {
                assertEquals(ghost, e.path("sender").asText(), "said by the ghost: " + body);
                bodies.add(body);
            }
        }
        assertEquals(IntStream.rangeClosed(1, lines).mapToObj(i -> prefix + i).toList(), bodies,
                "every line once, in order");
    }

    /** The room's whole timeline, oldest first, read as a member through {@code /messages}, page by page. */
    private static List<JsonNode> allEvents(MatrixTestClient user, String room) {
        List<JsonNode> events = new ArrayList<>();
        String from = null;
        for (int page = 0; page < 100; page++) {
            String path = "rooms/" + MatrixTestClient.enc(room) + "/messages?dir=b&limit=100" + (from == null ? "" : "&from="
                    + MatrixTestClient.enc(from));
            JsonNode body = user.get(path).orThrow("messages").body();
            body.path("chunk").forEach(e -> events.add(0, e));
            if (!body.hasNonNull("end") || body.path("chunk").isEmpty()) {
                break;
            }
            from = body.path("end").asText();
        }
        return events;
    }

    /** The bridge's live heap: used after a full GC, in KB. */
    private static long liveHeapKb(BridgeProcess bridge) throws IOException, InterruptedException {
        jcmd(bridge, "GC.run");
        String out = jcmd(bridge, "GC.heap_info");
        java.util.regex.Matcher used = java.util.regex.Pattern.compile("total \\d+K, used (\\d+)K").matcher(out);
        if (!used.find()) {
            throw new IllegalStateException("no heap figures from jcmd: " + out);
        }
        return Long.parseLong(used.group(1));
    }

    private static String jcmd(BridgeProcess bridge, String command) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(Files.isExecutable(jcmd) ? jcmd.toString() : "jcmd", String.valueOf(bridge.pid()), command)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        return out;
    }
}
