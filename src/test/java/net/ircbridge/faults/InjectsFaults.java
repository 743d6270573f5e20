package net.ircbridge.faults;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.ircbridge.faults.DrivesAFaultCase.User;
import net.ircbridge.testbed.TestBed;

/**
 * The fault cases of issue 12, each run on a {@link DrivesAFaultCase} of its own and reported as one
 * {@link CaseReport}. Sizes come from {@link FaultSizes}; {@link FaultSuiteIT} runs them long, {@link FaultCasesIT}
 * short.
 */
final class InjectsFaults {

    private InjectsFaults() {
    }

    /** The bridge killed (kill -9) or stopped (SIGTERM) and started again during a message burst both ways. */
    static CaseReport bridgeDownDuringBurst(TestBed bed, FaultSizes sizes, boolean hard) {
        try (DrivesAFaultCase c = new DrivesAFaultCase(bed, sizes, hard ? "bridge kill -9, burst" : "bridge restart, burst", false, false)) {
            long heap = c.heapKb();
            c.startTraffic();
            c.awaitRounds(Math.max(1, sizes.rounds() / 3));
            if (hard) {
                c.killBridge();
            } else {
                c.stopBridge();
            }
            c.startBridge();
            c.awaitTrafficEnd();
            return c.report(heap);
        }
    }

    /**
     * The bridge killed or stopped during a soft-kick storm: the IRC server stops (every Matrix user's connection
     * drops at once), and once the bridge has soft-kicked half of them it goes down; the IRC server and the bridge
     * come back.
     */
    static CaseReport bridgeDownDuringSoftKickStorm(TestBed bed, FaultSizes sizes, boolean hard) {
        try (DrivesAFaultCase c = new DrivesAFaultCase(bed, sizes, hard ? "bridge kill -9, soft-kick storm" : "bridge restart, soft-kick storm",
                false, false)) {
            long heap = c.heapKb();
            c.startTraffic();
            c.awaitRounds(Math.max(1, sizes.rounds() / 3));
            c.stopIrc();
            try {
                try {
                    c.awaitSoftKicks(Math.max(1, sizes.users() / 2), Duration.ofSeconds(60));
                } catch (AssertionError e) {
                    System.err.println("[faults] the bridge did not log the soft kicks in time: " + e.getMessage());
                }
                if (hard) {
                    c.killBridge();
                } else {
                    c.stopBridge();
                }
            } finally {
                bed.startIrcAgain();
            }
            c.startBridge();
            c.awaitTrafficEnd();
            return c.report(heap);
        }
    }

    /**
     * Synapse stopped for {@code sizes.outage()} under IRC traffic (Matrix users' messages are refused by the
     * homeserver meanwhile, so they are not counted as sent), with a bridge restart in the middle of the outage.
     */
    static CaseReport synapseOutageWithBridgeRestart(TestBed bed, FaultSizes sizes) {
        try (DrivesAFaultCase c = new DrivesAFaultCase(bed, sizes, "Synapse down " + sizes.outage().toSeconds() + " s, bridge restart", false,
                false)) {
            long heap = c.heapKb();
            // The traffic lasts a bit longer than the outage.
            c.startTraffic(max(sizes.roundPause(), sizes.outage().multipliedBy(3).dividedBy(2L * sizes.rounds())));
            c.awaitRounds(Math.max(1, sizes.rounds() / 6));
            c.stopSynapse();
            try {
                DrivesAFaultCase.pause(sizes.outage().dividedBy(2)); // the outage's length: the fault itself
                c.stopBridge();
                c.launchBridge();
                DrivesAFaultCase.pause(sizes.outage().dividedBy(2));
            } finally {
                bed.startSynapseAgain();
            }
            try {
                c.awaitBridgeReady();
            } catch (AssertionError e) {
                System.err.println("[faults] the bridge started during the outage did not get ready (" + e.getMessage().lines().findFirst()
                        .orElse("") + "); starting it again");
                c.startBridge();
            }
            c.awaitTrafficEnd();
            return c.report(heap);
        }
    }

    /** The bridge on PostgreSQL, and PostgreSQL restarted (a fast shutdown, then a start) under traffic. */
    static CaseReport postgresRestart(TestBed bed, FaultSizes sizes) {
        try (DrivesAFaultCase c = new DrivesAFaultCase(bed, sizes, "PostgreSQL restart", true, false)) {
            long heap = c.heapKb();
            c.startTraffic();
            c.awaitRounds(Math.max(1, sizes.rounds() / 3));
            bed.restartPostgres();
            c.awaitTrafficEnd();
            return c.report(heap);
        }
    }

    /** The IRC server restarted under traffic: everyone's connection drops, the bridge's bot's too. */
    static CaseReport ircRestart(TestBed bed, FaultSizes sizes) {
        try (DrivesAFaultCase c = new DrivesAFaultCase(bed, sizes, "InspIRCd restart", false, false)) {
            long heap = c.heapKb();
            c.startTraffic();
            c.awaitRounds(Math.max(1, sizes.rounds() / 3));
            c.restartIrc();
            c.awaitTrafficEnd();
            return c.report(heap);
        }
    }

    /** A netsplit under traffic: the IRC senders are on the leaf server, which splits off and links again. */
    static CaseReport netsplit(TestBed bed, FaultSizes sizes) {
        bed.startLeaf();
        try (DrivesAFaultCase c = new DrivesAFaultCase(bed, sizes, "netsplit", false, true)) {
            long heap = c.heapKb();
            c.startTraffic();
            c.awaitRounds(Math.max(1, sizes.rounds() / 3));
            bed.split();
            try {
                c.awaitRounds(Math.max(1, 2 * sizes.rounds() / 3));
            } finally {
                bed.heal();
            }
            c.awaitTrafficEnd();
            return c.report(heap);
        }
    }

    /**
     * The chaos run: {@code sizes.chaosFaults()} random faults, one every {@code sizes.chaosPause()}, under traffic
     * both ways: oper KILLs of Matrix users' connections, resets of the bridge's IRC connections (any of them, the
     * bot's too: {@code ss -K}), and Matrix users leaving rooms and joining them again. Seeded by {@code faults.seed}.
     */
    static CaseReport chaos(TestBed bed, FaultSizes sizes) {
        try (DrivesAFaultCase c = new DrivesAFaultCase(bed, sizes, "chaos " + sizes.chaosFaults() + " faults", false, false)) {
            long heap = c.heapKb();
            c.startTraffic(max(sizes.roundPause(), sizes.chaosPause().multipliedBy(sizes.chaosFaults()).dividedBy(sizes.rounds())));
            Random random = DrivesAFaultCase.random();
            TreeMap<String, Integer> done = new TreeMap<>();
            for (int i = 0; i < sizes.chaosFaults(); i++) {
                String kind = switch (random.nextInt(4)) {
                    case 0 -> kill(c, random) ? "kill" : "kill (nobody to kill)";
                    case 1 -> reset(c, bed, random) ? "reset" : "reset (no connection)";
                    case 2 -> leave(c, random) ? "leave" : "leave (nobody to leave)";
                    default -> join(c, random) ? "join" : "join (nobody to join)";
                };
                done.merge(kind, 1, Integer::sum);
                DrivesAFaultCase.pause(sizes.chaosPause()); // the chaos's pace
            }
            System.err.println("[faults] chaos faults injected: " + done);
            c.awaitTrafficEnd();
            return c.report(heap);
        }
    }

    private static boolean kill(DrivesAFaultCase c, Random random) {
        User u = c.users.get(random.nextInt(c.users.size()));
        for (String channel : c.channels) {
            for (String nick : c.observer.nicksOn(channel)) {
                if (nick.startsWith(c.userNick(u))) {
                    return c.observer.send("KILL " + nick + " :fault suite chaos");
                }
            }
        }
        return false;
    }

    private static boolean leave(DrivesAFaultCase c, Random random) {
        User u = c.users.get(random.nextInt(c.users.size()));
        List<Integer> in = new ArrayList<>(u.wanted);
        if (in.isEmpty()) {
            return false;
        }
        try {
            c.leave(u, in.get(random.nextInt(in.size())));
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static boolean join(DrivesAFaultCase c, Random random) {
        User u = c.users.get(random.nextInt(c.users.size()));
        List<Integer> out = new ArrayList<>(u.rooms);
        out.removeAll(u.wanted);
        if (out.isEmpty()) {
            return false;
        }
        try {
            c.join(u, out.get(random.nextInt(out.size())));
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static final Pattern LOCAL_PORT = Pattern.compile(
            "(?:\\[::ffff:)?127\\.0\\.0\\.1\\]?:(\\d+)\\s+(?:\\[::ffff:)?127\\.0\\.0\\.1\\]?:(\\d+).*pid=(\\d+),");

    /** Resets one of the bridge's TCP connections to the IRC server, at random ({@code ss -K}: the socket is aborted). */
    private static boolean reset(DrivesAFaultCase c, TestBed bed, Random random) {
        long pid = c.bridge.pid();
        List<String> ports = new ArrayList<>();
        for (String line : run("ss", "-tnpH", "state", "established", "dport", "=", ":" + bed.ircPort()).split("\n")) {
            Matcher m = LOCAL_PORT.matcher(line);
            if (m.find() && Long.parseLong(m.group(3)) == pid) {
                ports.add(m.group(1));
            }
        }
        if (ports.isEmpty()) {
            return false;
        }
        String port = ports.get(random.nextInt(ports.size()));
        // No address in the filter: a Java socket may be an IPv4-mapped IPv6 one ([::ffff:127.0.0.1]).
        run("ss", "-K", "-t", "dport", "=", ":" + bed.ircPort(), "sport", "=", ":" + port);
        return true;
    }

    private static String run(String... command) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
            p.waitFor();
            return out;
        } catch (Exception e) {
            return "";
        }
    }

    private static Duration max(Duration a, Duration b) {
        return a.compareTo(b) >= 0 ? a : b;
    }
}
