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
import net.ircbridge.testbed.Await;
import net.ircbridge.testbed.HostileIrcServer;
import net.ircbridge.testbed.IrcTestClient;
import net.ircbridge.testbed.MatrixTestClient;
import net.ircbridge.testbed.TestBed;
import org.junit.jupiter.api.Test;

/**
 * Issue 11, a hostile IRC server: a second network whose server, once the bot is on its channel, sends thousands of
 * lines of random bytes, 8 and 16 KB lines, numerics without their parameters, a NAMES of 20,000 nicks, 8 and 10 KB
 * PRIVMSGs and a storm of NICK changes, then drops the bot and refuses every reconnect. Meanwhile the bridge stays
 * up, relays on the real network, its memory comes back down, the hostile room is neither flooded with ghosts nor
 * with renames nor with the flood (the rest dropped, and said so), and it says (once) that the network is gone. And a
 * network that drops the bot and takes it back says so once each way.
 */
class HostileIrcServerIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    /** For what comes after the attack: the bridge has worked through all of it. */
    private static final Duration AFTER_ATTACK = Duration.ofSeconds(90);
    /** The most ghosts the hostile network's settings let the bridge mirror into one room. */
    private static final int MIRRORED = 30;
    /** The most lines from IRC waiting for one room (relay.max-queued-irc-lines), here. */
    private static final int QUEUED = 50;
    private static final String HOSTILE_SETTINGS = System.getProperty("hostile.settings", "max-mirrored-members: " + MIRRORED);

    @Test
    void aHostileServerNeitherStopsTheBridgeNorFloodsItsRoomAndTheRoomIsToldTheNetworkIsGone() throws Exception {
        TestBed bed = TestBed.get();
        String hostileBot = bed.uniqueName("HBot");
        // A channel of its own: the homeserver keeps aliases from bridges of earlier tests.
        String hostileChannel = "#" + bed.uniqueName("chan");
        try (HostileIrcServer server = HostileIrcServer.start(hostileChannel, hostileBot)) {
            Path config = TestBridgeConfig.write(bed, "hostile");
            TestBridgeConfig.networkSetting(config, "channels: []\n      send-rate:\n        burst: 50\n        interval-millis: 50");
            // A small queue per room, so that the flood at the end of the attack overflows it for sure.
            Files.writeString(config, Files.readString(config).replace("\nirc:\n", "\nrelay:\n  max-queued-irc-lines: " + QUEUED
                    + "\n  max-room-backlog: " + QUEUED / 2 + "\nirc:\n"));
            withHostileNetwork(config, server, hostileBot, HOSTILE_SETTINGS, bridge -> run(bed, server, bridge, hostileChannel));
        }
    }

    /** What a test does with the bridge it is given. */
    private interface WithBridge {
        void run(BridgeProcess bridge) throws Exception;
    }

    /**
     * Adds the hostile network (its bot {@code hostileBot}, more {@code settings}) to {@code config}, runs a bridge with
     * it and {@code test} with that bridge; when the test fails, shows the bridge's output and threads.
     */
    private static void withHostileNetwork(Path config, HostileIrcServer server, String hostileBot, String settings, WithBridge test)
            throws Exception {
        Files.writeString(config, TestBridgeConfig.withHostileNetwork(Files.readString(config), server.port(), hostileBot, settings));
        try (BridgeProcess bridge = BridgeProcess.start(config)) {
            try {
                test.run(bridge);
            } catch (AssertionError | Exception e) {
                showOutput(bridge);
                threadDump(bridge);
                throw e;
            }
        }
    }

    /** The bridge's threads, for a failure that may be a hang. */
    private static void threadDump(BridgeProcess bridge) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(Files.isExecutable(jcmd) ? jcmd.toString() : "jcmd", String.valueOf(bridge.pid()), "Thread.print")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        System.err.println("[bridge threads]\n" + out);
    }

    @Test
    void aNetworkThatDropsTheBotAndTakesItBackSaysSoOnceEachWay() throws Exception {
        TestBed bed = TestBed.get();
        String hostileBot = bed.uniqueName("HBot");
        String channel = "#" + bed.uniqueName("back");
        try (HostileIrcServer server = HostileIrcServer.start(channel, hostileBot)) {
            Path config = TestBridgeConfig.write(bed, "hostile-back");
            withHostileNetwork(config, server, hostileBot, "", bridge -> dropAndComeBack(bed, server, channel));
        }
    }

    /** What the bridge did is the first clue (its lines about the calm network are left out). */
    private static void showOutput(BridgeProcess bridge) {
        List<String> output = bridge.output().stream().filter(l -> !l.contains("testnet")).toList();
        System.err.println("[bridge output, last 300 lines]\n" + String.join("\n", output.subList(Math.max(0, output.size() - 300), output.size())));
    }

    private static void dropAndComeBack(TestBed bed, HostileIrcServer server, String channel) throws Exception {
        String bot = "@ircbridge:" + bed.serverName();
        MatrixTestClient user = MatrixTestClient.register(bed, bed.uniqueName("mx"));
        String room = user.join("#irc_hostile_" + channel.substring(1) + ":" + bed.serverName());
        assertTrue(server.awaitBotJoined(Duration.ofSeconds(60)), "the bot joins the channel");
        Await.until(Duration.ofSeconds(60), "the Matrix user's connection is on the channel",
                () -> server.othersJoined().stream().anyMatch(n -> n.endsWith("[m]")));

        server.dropBot();
        JsonNode lost = user.awaitEvent(room, e -> bot.equals(e.path("sender").asText())
                && e.path("content").path("body").asText().startsWith("The bridge lost its connection to Hostile IRC ("), WAIT);
        assertEquals("m.notice", lost.path("content").path("msgtype").asText());
        Await.until(Duration.ofSeconds(60), "the bot is back on the channel", () -> server.botJoins() >= 2);
        JsonNode back = user.awaitEvent(room, e -> bot.equals(e.path("sender").asText())
                && "The bridge is connected to Hostile IRC again.".equals(e.path("content").path("body").asText()), WAIT);
        assertEquals("m.notice", back.path("content").path("msgtype").asText());
        // And nothing more about it: one notice each way.
        user.sendText(room, "marker");
        user.awaitMessage(room, "marker", WAIT);
        long notices = user.roomMessages(room).stream().filter(e -> bot.equals(e.path("sender").asText())
                && e.path("content").path("body").asText().contains("connect")).count();
        assertEquals(2, notices, "one notice that the network is lost, one that it is back");
    }

    private void run(TestBed bed, HostileIrcServer server, BridgeProcess bridge, String hostileChannel) throws Exception {
        String bot = "@ircbridge:" + bed.serverName();
        // The calm network: an IRC user on a channel, a Matrix user in its room.
        String calmChannel = "#" + bed.uniqueName("calm");
        try (IrcTestClient op = IrcTestClient.connect(bed, bed.uniqueName("op"))) {
            op.join(calmChannel);
            MatrixTestClient user = MatrixTestClient.register(bed, bed.uniqueName("mx"));
            String calmRoom = user.join("#irc_testnet_" + calmChannel.substring(1) + ":" + bed.serverName());
            op.awaitMessage(m -> m.is("JOIN") && m.sourceNick().endsWith("[m]"), WAIT);
            String opGhost = "@irc_testnet_" + op.nick().toLowerCase() + ":" + bed.serverName();
            Await.until(WAIT, "the operator's ghost is in the calm room", () -> user.members(calmRoom).contains(opGhost));

            // The hostile network's room; the bot joins its channel.
            String hostileRoom = user.join("#irc_hostile_" + hostileChannel.substring(1) + ":" + bed.serverName());
            assertTrue(server.awaitBotJoined(Duration.ofSeconds(60)), "the bot joins the hostile channel");
            Await.until(WAIT, "the hostile channel's first member is in its room",
                    () -> user.members(hostileRoom).contains("@irc_hostile_opener:" + bed.serverName()));
            // The Matrix user's own connection is on the hostile channel too (it is not attacked, and stays up).
            Await.until(Duration.ofSeconds(60), "the Matrix user's connection is on the hostile channel",
                    () -> server.othersJoined().stream().anyMatch(n -> n.endsWith("[m]")));

            List<Long> quiet = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                quiet.add(roundTrip(user, calmRoom, op, calmChannel, opGhost, "quiet " + i));
            }
            forceGc(bridge);
            long heapBefore = heapUsedKb(bridge);
            long before = rssKb(bridge);
            long peak = before;

            server.attack();
            List<Long> underAttack = new ArrayList<>();
            long attackStarted = System.nanoTime();
            for (int i = 0; !server.attackDone() || i < 10; i++) {
                assertTrue(bridge.isAlive(), "the bridge is still running");
                underAttack.add(roundTrip(user, calmRoom, op, calmChannel, opGhost, "under attack " + i));
                peak = Math.max(peak, rssKb(bridge));
                assertTrue(System.nanoTime() - attackStarted < TimeUnit.MINUTES.toNanos(5), "the attack is over within 5 minutes");
            }
            System.out.printf("[hostile] attack sent %d bytes in %d ms%n", server.bytesSent(),
                    (System.nanoTime() - attackStarted) / 1_000_000);

            // The last line of the attack, after everything else, reaches the room: nothing held up the room's lane.
            user.awaitEvent(hostileRoom, e -> "m.room.message".equals(e.path("type").asText())
                    && e.path("content").path("body").asText().contains("the storm is over"), AFTER_ATTACK);

            // The room is told that the network is gone, once, however often the bot tries again.
            JsonNode gone = user.awaitEvent(hostileRoom, e -> bot.equals(e.path("sender").asText())
                    && "m.notice".equals(e.path("content").path("msgtype").asText())
                    && e.path("content").path("body").asText().contains("connection to Hostile IRC"), AFTER_ATTACK);
            System.out.println("[hostile] the room was told: " + gone.path("content").path("body").asText());
            // The flood overflowed the room's queue: dropped, and the room is told how many.
            JsonNode dropped = user.awaitEvent(hostileRoom, e -> bot.equals(e.path("sender").asText())
                    && "m.notice".equals(e.path("content").path("msgtype").asText())
                    && e.path("content").path("body").asText().contains("were dropped"), AFTER_ATTACK);
            System.out.println("[hostile] the room was told: " + dropped.path("content").path("body").asText());
            Await.until(AFTER_ATTACK, "the bot has tried to reconnect twice", () -> bridge.output().stream()
                    .filter(l -> l.contains("The bot's connection to Hostile IRC ended")).count() >= 3);
            for (int i = 0; i < 3; i++) {
                underAttack.add(roundTrip(user, calmRoom, op, calmChannel, opGhost, "after " + i));
                peak = Math.max(peak, rssKb(bridge));
            }

            // Memory back down once the work is done: what is live (the heap after a full GC) is where it was, and the
            // process itself within a bound (the JVM keeps heap it has committed, and Netty its pooled buffers).
            long[] last = {0, 0};
            long after;
            try {
                after = Await.untilPresent(Duration.ofSeconds(60), "the bridge's memory settles", () -> {
                    forceGc(bridge);
                    last[0] = rssKb(bridge);
                    last[1] = heapUsedKb(bridge);
                    return last[0] <= rssLimitKb(before) && last[1] <= heapBefore + HEAP_SLACK_KB
                            ? java.util.Optional.of(last[0]) : java.util.Optional.empty();
                });
            } catch (AssertionError e) {
                throw new AssertionError("RSS before " + before / 1024 + " MB, peak " + peak / 1024 + " MB, now " + last[0] / 1024
                        + " MB (limit " + rssLimitKb(before) / 1024 + " MB); live heap before " + heapBefore / 1024 + " MB, now "
                        + last[1] / 1024 + " MB", e);
            }
            System.out.printf("[hostile] RSS before %d MB, peak %d MB, after %d MB; live heap (after a full GC) before %d MB,"
                    + " after %d MB%n", before / 1024, peak / 1024, after / 1024, heapBefore / 1024, last[1] / 1024);
            System.out.printf("[hostile] calm relay round trip: quiet %s ms, during and after the attack median %d ms, max %d ms (%d rounds)%n",
                    quiet, median(underAttack), underAttack.stream().mapToLong(Long::longValue).max().orElse(0), underAttack.size());

            List<JsonNode> events = allEvents(user, hostileRoom);
            long ghostsJoined = user.members(hostileRoom).stream().filter(m -> m.startsWith("@irc_hostile_")).count();
            long memberEvents = events.stream().filter(e -> "m.room.member".equals(e.path("type").asText())
                    && e.path("state_key").asText().startsWith("@irc_hostile_")).count();
            long noticesFromBot = events.stream().filter(e -> bot.equals(e.path("sender").asText())
                    && "m.notice".equals(e.path("content").path("msgtype").asText())
                    && e.path("content").path("body").asText().contains("connection to Hostile IRC")).count();
            long notAllMirrored = events.stream().filter(e -> bot.equals(e.path("sender").asText())
                    && "m.notice".equals(e.path("content").path("msgtype").asText())
                    && e.path("content").path("body").asText().contains("shows only " + MIRRORED)).count();
            List<JsonNode> messages = events.stream().filter(e -> "m.room.message".equals(e.path("type").asText())).toList();
            System.out.printf("[hostile] room: %d ghosts joined, %d ghost member events, %d messages, %d events in all%n",
                    ghostsJoined, memberEvents, messages.size(), events.size());
            messages.stream().filter(m -> !m.path("content").path("body").asText().contains("flood line ")).forEach(m -> System.out.printf("[hostile] message from %s: %.80s%n", m.path("sender").asText(),
                    m.path("content").path("body").asText()));
            assertTrue(ghostsJoined <= MIRRORED, "at most " + MIRRORED + " ghosts in the room, not " + ghostsJoined);
            long flood = messages.stream().filter(m -> m.path("content").path("body").asText().contains("flood line ")).count();
            System.out.printf("[hostile] %d of the flood's %d lines reached the room%n", flood, HostileIrcServer.FLOOD);
            assertTrue(flood < HostileIrcServer.FLOOD / 2, "the flood is cut short: " + flood);
            for (int i = 0; i < HostileIrcServer.EARLY_NICKS; i++) {
                String renamed = "@irc_hostile_" + HostileIrcServer.lastNickOfEarly(i) + ":" + bed.serverName();
                assertTrue(user.members(hostileRoom).contains(renamed), "after the storm, the ghost is the last nick: " + renamed);
            }
            assertTrue(memberEvents <= 6L * MIRRORED, "the NICK storm is not thousands of member events: " + memberEvents);
            assertEquals(1, noticesFromBot, "the room is told once that the network is gone");
            assertEquals(1, notAllMirrored, "the room is told once that it shows only some of the channel's users");
            for (JsonNode m : messages) {
                String body = m.path("content").path("body").asText();
                assertTrue(body.length() <= 4096, "no overlong IRC line reaches the room: " + body.length() + " characters");
                assertTrue(body.chars().noneMatch(c -> c == 0 || c == '\r'), "no NUL or CR reaches the room");
            }
            assertTrue(bridge.isAlive(), "the bridge is still running");
        }
    }

    /** A line from Matrix to IRC and one from IRC to Matrix on the calm network; returns the slower, in ms. */
    private static long roundTrip(MatrixTestClient user, String room, IrcTestClient op, String channel, String opGhost, String text) {
        long start = System.nanoTime();
        user.sendText(room, "mx " + text);
        op.awaitPrivmsg(channel, "mx " + text, WAIT);
        long toIrc = System.nanoTime() - start;
        start = System.nanoTime();
        op.privmsg(channel, "irc " + text);
        user.awaitEvent(room, e -> opGhost.equals(e.path("sender").asText())
                && ("irc " + text).equals(e.path("content").path("body").asText()), WAIT);
        long toMatrix = System.nanoTime() - start;
        return Math.max(toIrc, toMatrix) / 1_000_000;
    }

    /** Every event of a room, read back through {@code /messages} as its member. */
    private static List<JsonNode> allEvents(MatrixTestClient user, String room) {
        List<JsonNode> events = new ArrayList<>();
        String from = null;
        for (int page = 0; page < 200; page++) {
            String path = "rooms/" + MatrixTestClient.enc(room) + "/messages?dir=b&limit=500"
                    + (from == null ? "" : "&from=" + MatrixTestClient.enc(from));
            JsonNode body = user.get(path).orThrow("messages").body();
            body.path("chunk").forEach(events::add);
            if (!body.hasNonNull("end") || body.path("chunk").isEmpty()) {
                break;
            }
            from = body.path("end").asText();
        }
        return events;
    }

    /** What "the live heap returns to where it was" allows. */
    private static final long HEAP_SLACK_KB = 32 * 1024;

    /** What "the process returns to where it was" allows: the heap's maximum (-Xmx256m) above the quiet figure at most. */
    private static long rssLimitKb(long beforeKb) {
        return beforeKb + 128 * 1024;
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.isEmpty() ? 0 : sorted.get(sorted.size() / 2);
    }

    /** The bridge's resident memory, from /proc. */
    private static long rssKb(BridgeProcess bridge) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(bridge.pid()), "status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IllegalStateException("no VmRSS for " + bridge.pid());
    }

    /** The heap in use, from jcmd's GC.heap_info ("garbage-first heap total 102400K, used 28817K ..."). */
    private static long heapUsedKb(BridgeProcess bridge) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(Files.isExecutable(jcmd) ? jcmd.toString() : "jcmd", String.valueOf(bridge.pid()), "GC.heap_info")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        java.util.regex.Matcher used = java.util.regex.Pattern.compile("total \\d+K, used (\\d+)K").matcher(out);
        if (!used.find()) {
            throw new IllegalStateException("no heap figures from jcmd: " + out);
        }
        return Long.parseLong(used.group(1));
    }

    /** Asks the bridge's JVM for a full GC (so that "after" is what is live, not garbage not yet collected). */
    private static void forceGc(BridgeProcess bridge) throws IOException, InterruptedException {
        Path jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd");
        Process p = new ProcessBuilder(Files.isExecutable(jcmd) ? jcmd.toString() : "jcmd", String.valueOf(bridge.pid()), "GC.run")
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
        }
    }
}
