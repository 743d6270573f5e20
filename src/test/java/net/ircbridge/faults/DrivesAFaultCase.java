package net.ircbridge.faults;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import net.ircbridge.e2e.BridgeProcess;
import net.ircbridge.e2e.TestBridgeConfig;
import net.ircbridge.faults.ChecksFaultInvariants.CrashWindow;
import net.ircbridge.faults.ChecksFaultInvariants.Exposure;
import net.ircbridge.faults.ChecksFaultInvariants.MemberEvent;
import net.ircbridge.faults.Traffic.Direction;
import net.ircbridge.faults.Traffic.Received;
import net.ircbridge.faults.Traffic.Sent;
import net.ircbridge.faults.Traffic.Token;
import net.ircbridge.testbed.Await;
import net.ircbridge.testbed.Deadline;
import net.ircbridge.testbed.IrcTestClient;
import net.ircbridge.testbed.MatrixTestClient;
import net.ircbridge.testbed.TestBed;

/**
 * One fault case's world: a bridge of its own, {@code rooms} portal rooms (and channels), {@code users} Matrix users
 * in them (user {@code i} in room {@code i mod rooms}, and also in room {@code (i + 1) mod rooms} when there are more
 * users than rooms), an IRC sender on every channel, the IRC
 * observer, and the bot reading rooms. It sends numbered messages both ways in rounds, acts as the users' clients
 * (a user who wants to be in a room joins it again when invited back, as an MSC3217 client would), lets the case
 * inject its faults, waits for the case to settle and computes its {@link CaseReport}.
 */
final class DrivesAFaultCase implements AutoCloseable {

    /** The bridge's {@code absence-grace-seconds} (its default, which these bridges keep). */
    static final Duration GRACE = Duration.ofSeconds(5);
    private static final Duration WAIT = Duration.ofSeconds(60);

    /** A Matrix user of the case and the rooms (indexes) they want to be in. */
    static final class User {
        final int index;
        final MatrixTestClient client;
        final String localpart;
        final Set<Integer> rooms;
        final Set<Integer> wanted = ConcurrentHashMap.newKeySet();

        User(int index, MatrixTestClient client, Set<Integer> rooms) {
            this.index = index;
            this.client = client;
            this.localpart = client.userId().substring(1, client.userId().indexOf(':'));
            this.rooms = rooms;
        }
    }

    final TestBed bed;
    final FaultSizes sizes;
    final String name;
    final String run;
    final Path config;
    final String bot;
    /** The bridge's bot's IRC nick (from the configuration), whose presence on a channel the observer sees. */
    final String botNick;
    volatile BridgeProcess bridge;
    /** Every bridge process of the case, in order (a restart adds one), for their logs. */
    private final List<BridgeProcess> bridges = new CopyOnWriteArrayList<>();
    final List<String> channels = new ArrayList<>();
    final List<String> roomIds = new ArrayList<>();
    final List<User> users = new ArrayList<>();
    final ObservesIrcChannels observer;
    final ReadsRoomsAsTheBot reader;
    private final List<Sent> matrixSent = new CopyOnWriteArrayList<>();
    /** The faults of the case that can take lines no bridge could recover, with their moments. */
    private final List<CrashWindow> crashWindows = new CopyOnWriteArrayList<>();
    private final List<IrcTestClient> senders = new CopyOnWriteArrayList<>();
    private final boolean sendersOnLeaf;
    private final List<Thread> threads = new ArrayList<>();
    private volatile boolean trafficRunning;
    private volatile boolean clientsRunning = true;
    private final AtomicInteger roundsDone = new AtomicInteger();
    private final long startedNanos = System.nanoTime();

    /**
     * Sets the case up and returns once every user is in their rooms and on the channels, the senders are on the
     * channels and the observer sees it all.
     *
     * @param postgres      whether the bridge keeps its store in the test bed's PostgreSQL
     * @param sendersOnLeaf whether the IRC senders connect to the leaf server (the netsplit case)
     */
    DrivesAFaultCase(TestBed bed, FaultSizes sizes, String name, boolean postgres, boolean sendersOnLeaf) {
        this.bed = bed;
        this.sizes = sizes;
        this.name = name;
        this.run = bed.uniqueName("r");
        this.sendersOnLeaf = sendersOnLeaf;
        this.bot = "@ircbridge:" + bed.serverName();
        String dir = bed.uniqueName("f" + name);
        this.config = postgres
                ? TestBridgeConfig.write(bed, dir, "database:\n  url: " + bed.postgresJdbcUrl() + "\n  username: " + bed.postgresUser()
                        + "\n  password: " + bed.postgresPassword() + "\n")
                : TestBridgeConfig.write(bed, dir);
        this.botNick = botNick(config);
        this.reader = new ReadsRoomsAsTheBot(bed.synapseUrl(), bed.registrationFile());
        for (int r = 0; r < sizes.rooms(); r++) {
            channels.add("#" + bed.uniqueName("fc"));
        }
        // The observer makes the channels (and is their operator) before anyone else is there.
        this.observer = new ObservesIrcChannels(bed.ircHost(), bed.ircPort(), bed.uniqueName("obs"), bed.operName(), bed.operPassword(),
                Set.copyOf(channels));
        Await.until(WAIT, "the observer is on every channel", observer::onEveryChannel);
        bridge = started(BridgeProcess.start(config));
        for (int i = 0; i < sizes.users(); i++) {
            Set<Integer> rooms = new HashSet<>(List.of(i % sizes.rooms()));
            if (sizes.users() > sizes.rooms() && sizes.rooms() > 1) {
                rooms.add((i + 1) % sizes.rooms());
            }
            User user = new User(i, MatrixTestClient.register(bed, bed.uniqueName("fu")), rooms);
            users.add(user);
        }
        for (int r = 0; r < sizes.rooms(); r++) {
            roomIds.add(null);
        }
        for (User u : users) {
            for (int r : u.rooms) {
                String id = u.client.join(alias(channels.get(r)));
                synchronized (roomIds) {
                    roomIds.set(r, id);
                }
                u.wanted.add(r);
            }
        }
        for (int r = 0; r < sizes.rooms(); r++) {
            IrcTestClient sender = connectSender(r);
            senders.add(sender);
        }
        for (User u : users) {
            for (int r : u.rooms) {
                Await.until(WAIT, u.localpart + " is on " + channels.get(r), () -> observer.isOn(channels.get(r), u.localpart));
            }
        }
        startClients();
    }

    private static String botNick(Path config) {
        try {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?m)^\\s*bot-nick:\\s*(\\S+)").matcher(java.nio.file.Files.readString(config));
            if (!m.find()) {
                throw new IllegalStateException("no bot-nick in " + config);
            }
            return m.group(1);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private IrcTestClient connectSender(int r) {
        String nick = bed.uniqueName("snd");
        IrcTestClient sender = sendersOnLeaf ? bed.startLeaf().connect(nick) : IrcTestClient.connect(bed, nick);
        sender.join(channels.get(r));
        return sender;
    }

    private static String alias(String channel) {
        return "#irc_testnet_" + channel.substring(1) + ":localhost";
    }

    /** Seconds since the case began. */
    long seconds() {
        return (System.nanoTime() - startedNanos) / 1_000_000_000L;
    }

    /** The bridge's used heap now (after a full GC), in KB. */
    long heapKb() {
        BridgeProcess b = bridge;
        return b != null && b.isAlive() ? MeasuresHeap.usedKb(b.pid()) : -1;
    }

    // --- traffic ---

    /** Starts sending {@code sizes.rounds()} rounds of numbered messages both ways, in the background. */
    void startTraffic() {
        startTraffic(sizes.roundPause());
    }

    /** As {@link #startTraffic()}, with another pause between rounds (so the traffic lasts as long as a fault). */
    void startTraffic(Duration roundPause) {
        trafficRunning = true;
        Thread matrix = new Thread(() -> {
            for (int seq = 1; seq <= sizes.rounds() && trafficRunning; seq++) {
                for (User u : users) {
                    for (int r : List.copyOf(u.wanted)) {
                        Token t = new Token(Direction.MATRIX_TO_IRC, run, "u" + u.index + "r" + r, seq);
                        try {
                            String eventId = u.client.sendText(roomIds.get(r), t.text());
                            matrixSent.add(new Sent(t, eventId, System.currentTimeMillis()));
                        } catch (RuntimeException e) {
                            // refused by the homeserver (down, or the user is not in the room): not sent
                        }
                    }
                }
                roundsDone.set(seq);
                pause(roundPause);
            }
        }, "fault-traffic-matrix");
        Thread irc = new Thread(() -> {
            for (int seq = 1; seq <= sizes.rounds() && trafficRunning; seq++) {
                // Keep pace with the Matrix side (whose rounds are longer with many users), so both directions
                // overlap the fault.
                while (trafficRunning && roundsDone.get() < seq - 1) {
                    pause(Duration.ofMillis(50));
                }
                for (int r = 0; r < senders.size(); r++) {
                    Token t = new Token(Direction.IRC_TO_MATRIX, run, "s" + r, seq);
                    IrcTestClient sender = senders.get(r);
                    try {
                        if (!sender.isConnected()) {
                            sender = connectSender(r);
                            senders.set(r, sender);
                        }
                        sender.privmsg(channels.get(r), t.text());
                    } catch (RuntimeException | AssertionError e) {
                        // the IRC server is away: this one is not sent (the observer does not see it)
                    }
                }
                pause(roundPause);
            }
        }, "fault-traffic-irc");
        matrix.start();
        irc.start();
        threads.add(matrix);
        threads.add(irc);
    }

    /** Waits until the Matrix side has sent at least {@code rounds} rounds. */
    void awaitRounds(int rounds) {
        Await.until(Duration.ofMinutes(5), rounds + " rounds of messages sent", () -> roundsDone.get() >= Math.min(rounds, sizes.rounds()));
    }

    /** Waits until both traffic threads have sent everything. */
    void awaitTrafficEnd() {
        for (Thread t : threads) {
            if (t.getName().startsWith("fault-traffic")) {
                try {
                    t.join(Duration.ofMinutes(30).toMillis());
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
        trafficRunning = false;
    }

    /**
     * The users' clients: a user who wants to be in a room and is invited to it joins (as an MSC3217 client does on
     * the bot's invite after a soft kick). Polls each room's members as the bot every half second.
     */
    private void startClients() {
        Thread clients = new Thread(() -> {
            while (clientsRunning) {
                for (int r = 0; r < roomIds.size() && clientsRunning; r++) {
                    try {
                        Map<String, String> membership = memberships(r);
                        for (User u : users) {
                            if (u.wanted.contains(r) && "invite".equals(membership.get(u.client.userId()))) {
                                u.client.join(roomIds.get(r));
                            }
                        }
                    } catch (RuntimeException e) {
                        // the homeserver is away: try again next time
                    }
                }
                pause(Duration.ofMillis(500));
            }
        }, "fault-clients");
        clients.setDaemon(true);
        clients.start();
        threads.add(clients);
    }

    private Map<String, String> memberships(int r) {
        Map<String, String> out = new HashMap<>();
        for (JsonNode e : reader.members(roomIds.get(r))) {
            out.put(e.path("state_key").asText(), e.path("content").path("membership").asText());
        }
        return out;
    }

    /** A Matrix user leaves a room on their own (and no longer wants to be in it). */
    void leave(User u, int r) {
        u.wanted.remove(r);
        u.client.leave(roomIds.get(r));
    }

    /** A Matrix user joins one of their rooms again (and wants to be in it). */
    void join(User u, int r) {
        u.wanted.add(r);
        u.client.join(roomIds.get(r));
    }

    // --- the bridge ---

    /** kill -9 of the bridge: IRC lines it read in the last moment may go with it (a crash window). */
    void killBridge() {
        bridge.kill();
        long killedAt = System.currentTimeMillis();
        crashWindows.add(new CrashWindow(CrashWindow.Kind.BRIDGE_KILLED, killedAt, botSeenGone(killedAt)));
    }

    /**
     * When the IRC server was seen to drop the bot from every bridged channel after {@code since} (its QUIT, as the
     * observer saw it): until then, lines said on a channel went to the dead bridge's socket. {@code since} itself if
     * that is not seen within 30 seconds.
     */
    private long botSeenGone(long since) {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        // The kill returns once the process is gone, a moment after the server may have seen the socket close.
        long from = since - 5_000;
        while (System.nanoTime() < deadline) {
            long latest = Long.MIN_VALUE;
            boolean allGone = true;
            for (String channel : channels) {
                List<ChecksFaultInvariants.Presence> bp = observer.presence(channel, botNick);
                java.util.OptionalLong gone = bp.stream().filter(p -> !p.present() && p.atMillis() >= from)
                        .mapToLong(ChecksFaultInvariants.Presence::atMillis).min();
                if (gone.isEmpty()) {
                    allGone = false;
                    break;
                }
                latest = Math.max(latest, gone.getAsLong());
            }
            if (allGone) {
                return Math.max(since, latest);
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        System.err.println("[faults] the bot was not seen leaving the channels within 30 s of the kill");
        return since;
    }

    /**
     * Stops Synapse (returns once it is gone): Matrix messages it accepted in its last moment may go with it, before
     * any transaction carries them to the bridge (a crash window, see {@link CrashWindow.Kind#HOMESERVER_STOPPED}).
     * Call {@link TestBed#startSynapseAgain()} in a {@code finally}.
     */
    void stopSynapse() {
        long stopping = System.currentTimeMillis();
        bed.stopSynapse();
        crashWindows.add(new CrashWindow(CrashWindow.Kind.HOMESERVER_STOPPED, stopping, System.currentTimeMillis()));
    }

    /**
     * Stops the IRC server (returns once it is gone): Matrix lines the bridge wrote to it in its last moment may go
     * with it (a crash window). Call {@link TestBed#startIrcAgain()} in a {@code finally}.
     */
    void stopIrc() {
        bed.stopIrc();
        crashWindows.add(new CrashWindow(CrashWindow.Kind.IRC_SERVER_DIED, System.currentTimeMillis()));
    }

    /** {@link #stopIrc()}, then the IRC server started again: an operator's restart. */
    void restartIrc() {
        try {
            stopIrc();
        } finally {
            bed.startIrcAgain();
        }
    }

    /** A graceful stop (SIGTERM) of the bridge. */
    void stopBridge() {
        bridge.stop();
    }

    /** Starts the bridge again with the same configuration and data; waits until it is ready. */
    void startBridge() {
        bridge = started(BridgeProcess.start(config));
    }

    private BridgeProcess started(BridgeProcess b) {
        bridges.add(b);
        return b;
    }

    /** Starts the bridge again without waiting (the homeserver may be down); see {@link #awaitBridgeReady()}. */
    void launchBridge() {
        bridge = started(BridgeProcess.launch(config.getFileName().toString(), "-c", config.toString()));
    }

    void awaitBridgeReady() {
        bridge.awaitLog(l -> l.contains("Bridge ready"), Duration.ofMinutes(3));
    }

    /** Waits until the bridge has logged at least {@code n} soft-kicked connections since it started. */
    void awaitSoftKicks(int n, Duration timeout) {
        Await.until(timeout, n + " connections soft-kicked",
                () -> bridge.output().stream().filter(l -> l.contains("soft-kicking them from")).count() >= n);
    }

    // --- settling and the figures ---

    /**
     * Waits until the case has settled: every sent message arrived (or its failure was said), and every user is in
     * every room they want and on its channel; or nothing changed for 30 s; or {@code sizes.settle()} passed.
     */
    void settle() {
        Deadline deadline = Deadline.in(sizes.settle());
        long lastProgress = System.nanoTime();
        long best = -1;
        while (!deadline.expired()) {
            long[] state = progress();
            if (state[0] == state[1]) {
                return;
            }
            if (state[0] > best) {
                best = state[0];
                lastProgress = System.nanoTime();
            } else if (System.nanoTime() - lastProgress > Duration.ofSeconds(30).toNanos()) {
                return;
            }
            pause(Duration.ofSeconds(3));
        }
    }

    /** {done, owed}: settled when equal. */
    private long[] progress() {
        try {
            Collected c = collect();
            long owed = c.m2i.sent() + c.i2m.sent() + wantedCount();
            long done = c.m2i.delivered() + c.m2i.said() + c.i2m.delivered() + c.i2m.said() + satisfiedCount(c);
            return new long[] {done, owed};
        } catch (RuntimeException e) {
            return new long[] {-1, 0};
        }
    }

    private long wantedCount() {
        return users.stream().mapToLong(u -> u.wanted.size()).sum();
    }

    private long satisfiedCount(Collected c) {
        long n = 0;
        for (User u : users) {
            for (int r : u.wanted) {
                List<MemberEvent> events = c.members.get(r);
                String last = null;
                for (MemberEvent e : events) {
                    if (e.userId().equals(u.client.userId())) {
                        last = e.membership();
                    }
                }
                if ("join".equals(last) && observer.isOn(channels.get(r), u.localpart)) {
                    n++;
                }
            }
        }
        return n;
    }

    private record Collected(MessageFigures m2i, MessageFigures i2m, int i2mWhileBotAway, Map<Integer, List<MemberEvent>> members,
            Map<Integer, List<Received>> i2mArrivals, List<String> unaccounted) {
    }

    private Collected collect() {
        Map<Integer, List<MemberEvent>> members = new HashMap<>();
        Map<Integer, List<Received>> i2mArrivals = new HashMap<>();
        List<Received> allI2m = new ArrayList<>();
        Set<String> said = new HashSet<>();
        for (int r = 0; r < roomIds.size(); r++) {
            List<MemberEvent> events = new ArrayList<>();
            List<Received> arrivals = new ArrayList<>();
            for (JsonNode e : reader.timeline(roomIds.get(r))) {
                String type = e.path("type").asText();
                String sender = e.path("sender").asText();
                long ts = e.path("origin_server_ts").asLong();
                JsonNode content = e.path("content");
                if ("m.room.member".equals(type)) {
                    events.add(new MemberEvent(e.path("state_key").asText(), content.path("membership").asText(), sender,
                            content.path("org.matrix.msc3217.softkick").asBoolean(false), ts));
                } else if ("m.room.message".equals(type)) {
                    Token t = Token.parse(content.path("body").asText());
                    if (t != null && t.run().equals(run) && t.direction() == Direction.IRC_TO_MATRIX) {
                        arrivals.add(new Received(t, ts));
                    } else if (bot.equals(sender)) {
                        String replyTo = content.path("m.relates_to").path("m.in_reply_to").path("event_id").asText(null);
                        if (replyTo != null) {
                            said.add(replyTo);
                        }
                    }
                }
            }
            members.put(r, events);
            i2mArrivals.put(r, arrivals);
            allI2m.addAll(arrivals);
        }
        List<Received> m2iArrivals = observer.said().stream()
                .filter(s -> s.token().run().equals(run) && s.token().direction() == Direction.MATRIX_TO_IRC)
                .map(s -> new Received(s.token(), s.atMillis())).toList();
        List<Sent> ircSent = new ArrayList<>();
        Set<Token> seen = new HashSet<>();
        List<String> unaccounted = new ArrayList<>();
        int whileBotAway = 0;
        Map<String, List<ChecksFaultInvariants.Presence>> botPresence = new HashMap<>();
        for (ObservesIrcChannels.Said s : observer.said()) {
            if (s.token().run().equals(run) && s.token().direction() == Direction.IRC_TO_MATRIX && seen.add(s.token())) {
                // A line said while the bot is off the channel (the bridge down, or the bot's connection dropped)
                // never reaches the bridge: IRC keeps no history. Counted apart, not as sent.
                List<ChecksFaultInvariants.Presence> bp = botPresence.computeIfAbsent(s.channel().toLowerCase(Locale.ROOT),
                        ch -> observer.presence(ch, botNick));
                if (ChecksFaultInvariants.presentAt(bp, s.atMillis())) {
                    ircSent.add(new Sent(s.token(), null, s.atMillis()));
                } else {
                    whileBotAway++;
                    unaccounted.add("bot away " + s.token().text() + " said at " + java.time.Instant.ofEpochMilli(s.atMillis())
                            + " (arrived anyway: " + allI2m.stream().anyMatch(a -> a.token().equals(s.token())) + ")");
                }
            }
        }
        MessageFigures m2i = ChecksFaultInvariants.messages(Direction.MATRIX_TO_IRC, matrixSent, m2iArrivals, said, crashWindows);
        MessageFigures i2m = ChecksFaultInvariants.messages(Direction.IRC_TO_MATRIX, ircSent, allI2m, said, crashWindows);
        unaccounted.addAll(unaccounted(matrixSent, m2iArrivals, said));
        unaccounted.addAll(unaccounted(ircSent, allI2m, said));
        return new Collected(m2i, i2m, whileBotAway, members, i2mArrivals, unaccounted);
    }

    /** For the diagnosis of a case: every sent message that is lost, or arrived more than once, with its times. */
    private static List<String> unaccounted(List<Sent> sent, List<Received> received, Set<String> said) {
        Map<Token, List<Long>> arrivals = new HashMap<>();
        for (Received r : received) {
            arrivals.computeIfAbsent(r.token(), t -> new ArrayList<>()).add(r.atMillis());
        }
        List<String> out = new ArrayList<>();
        for (Sent s : sent) {
            List<Long> at = arrivals.getOrDefault(s.token(), List.of());
            if (at.isEmpty() && (s.eventId() == null || !said.contains(s.eventId()))) {
                out.add("lost " + s.token().text() + " sent at " + java.time.Instant.ofEpochMilli(s.atMillis()) + " event " + s.eventId());
            } else if (at.size() > 1) {
                out.add("dup " + s.token().text() + " sent at " + java.time.Instant.ofEpochMilli(s.atMillis()) + " event " + s.eventId()
                        + " arrived at " + at.stream().map(java.time.Instant::ofEpochMilli).toList());
            }
        }
        return out;
    }

    /** Settles the case, computes its figures, writes its row to the results and returns it. */
    CaseReport report(long heapBeforeKb) {
        settle();
        long heapAfter = heapKb();
        clientsRunning = false;
        Collected c = collect();
        long end = System.currentTimeMillis();
        int owed = 0;
        int wrong = 0;
        Exposure exposure = new Exposure(0, 0);
        for (int r = 0; r < roomIds.size(); r++) {
            wrong += ChecksFaultInvariants.invitesAfterOwnLeave(c.members.get(r), bot);
        }
        for (User u : users) {
            for (int r : u.wanted) {
                if (ChecksFaultInvariants.softKickedWithoutInvite(c.members.get(r), u.client.userId(), bot)) {
                    owed++;
                }
            }
            for (int r : u.rooms) {
                exposure = exposure.plus(ChecksFaultInvariants.exposure(c.members.get(r), u.client.userId(),
                        observer.presence(channels.get(r), u.localpart), c.i2mArrivals.get(r), GRACE.toMillis(), end));
            }
        }
        CaseReport report = new CaseReport(name, sizes.describe(), c.m2i, c.i2m, c.i2mWhileBotAway, owed, wrong, exposure.millis(), exposure.messages(),
                heapBeforeKb, heapAfter, seconds(), logDir());
        report.append(bed.projectDir());
        keep("unaccounted.txt", c.unaccounted);
        List<String> botPresence = new ArrayList<>();
        for (String channel : channels) {
            observer.presence(channel, botNick).forEach(p -> botPresence.add(channel + " " + java.time.Instant.ofEpochMilli(p.atMillis())
                    + (p.present() ? " on" : " away")));
        }
        keep("bot-presence.txt", botPresence);
        List<String> members = new ArrayList<>();
        for (int r = 0; r < roomIds.size(); r++) {
            for (MemberEvent e : c.members.get(r)) {
                members.add("room " + r + " " + java.time.Instant.ofEpochMilli(e.atMillis()) + " " + e);
            }
        }
        keep("members.txt", members);
        return report;
    }

    /**
     * Where the case keeps what a diagnosis needs: {@code target/faults/logs/<case>-<run>/}, with every bridge
     * process's output ({@code bridge-1.log}, ... in start order), the lost and duplicated messages and the rooms'
     * membership changes.
     */
    Path logDir() {
        return bed.projectDir().resolve("target/faults/logs").resolve(name.replaceAll("[^A-Za-z0-9]+", "-") + "-" + run);
    }

    private void keep(String file, List<String> lines) {
        try {
            java.nio.file.Files.createDirectories(logDir());
            java.nio.file.Files.write(logDir().resolve(file), lines);
        } catch (java.io.IOException e) {
            System.err.println("[faults] could not keep " + file + ": " + e);
        }
    }

    static void pause(Duration d) {
        try {
            Thread.sleep(d.toMillis()); // the traffic's pace, not a wait for a condition
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Picks at random with a fixed seed per case ({@code faults.seed}), so a run can be repeated. */
    static java.util.Random random() {
        return new java.util.Random(Long.getLong("faults.seed", 12L));
    }

    @Override
    public void close() {
        trafficRunning = false;
        clientsRunning = false;
        observer.close();
        senders.forEach(IrcTestClient::close);
        if (bridge != null) {
            bridge.close();
        }
        for (int i = 0; i < bridges.size(); i++) {
            keep("bridge-" + (i + 1) + ".log", bridges.get(i).output());
        }
        System.err.println("[faults] " + name + ": bridge logs in " + logDir());
    }

    /** For messages in failures: a supplier of the bridge's last lines. */
    Supplier<String> bridgeTail() {
        return () -> {
            List<String> out = bridge.output();
            return String.join("\n", out.subList(Math.max(0, out.size() - 100), out.size()));
        };
    }

    String userNick(User u) {
        return u.localpart.toLowerCase(Locale.ROOT);
    }
}
