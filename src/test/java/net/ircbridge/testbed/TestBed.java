package net.ircbridge.testbed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The real servers the integration tests run against, shared by every test of one JVM: one InspIRCd and one
 * Synapse (with the bridge's appservice registration loaded), and PostgreSQL when a test first asks for it.
 * Everything listens on 127.0.0.1 on free ports and lives under {@code target/testbed/}; a JVM shutdown hook
 * stops it. Started by the first {@link #get()}.
 *
 * <p>For netsplits, {@link #startLeaf()} starts a second InspIRCd ({@value #LEAF_SERVER_NAME}) linked to the main
 * one ({@value #IRC_SERVER_NAME}); {@link #split()} breaks the link and {@link #heal()} restores it.
 *
 * <p>{@link #stopIrc()} and {@link #startIrcAgain()} (or {@link #restartIrc()}) restart the main InspIRCd on the same
 * port with the same configuration. Every client is disconnected by it (bridges reconnect by themselves); a
 * started leaf is linked again, so tests that come after see the same test bed.
 *
 * <p>{@link #stopSynapse()} and {@link #startSynapseAgain()} (or {@link #restartSynapse()}) restart Synapse on the
 * same port with the same database: an outage of the homeserver for every bridge of the JVM while it is down.
 */
public final class TestBed {

    /** A generous default for waits in tests: the machines running them may be small and busy. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private static final String SERVER_NAME = "localhost";
    /** Server name of the main InspIRCd (the one at {@link #ircPort()}). */
    public static final String IRC_SERVER_NAME = "irc.test";
    /** Server name of the second InspIRCd started by {@link #startLeaf()}. */
    public static final String LEAF_SERVER_NAME = "leaf.test";
    /** Server name of the IRC services (Anope, with NickServ) started by {@link #startServices()}. */
    public static final String SERVICES_SERVER_NAME = "services.test";
    private static final String OPER_NAME = "oper";
    private static final String OPER_PASSWORD = "operpass";
    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(15);
    private static final Duration START_TIMEOUT = Duration.ofMinutes(3);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(40);

    private static TestBed instance;
    private static RuntimeException startFailure;

    private final Path projectDir;
    private final Path workDir;
    private final Scripts scripts;
    private final String sharedSecret = randomHex(16);
    private final AtomicInteger nameCounter = new AtomicInteger();
    private final SecureRandom random = new SecureRandom();
    private final int ircPort;
    private final int synapsePort;
    private final int bridgePort;
    private final int hubLinkPort;
    private final int leafLinkPort;
    private final int strictIrcPort;
    private LeafServer leaf;
    private boolean servicesStarted;
    private IrcTestClient linkControl;
    private Path registrationFile;
    private Path unreachableRegistrationFile;
    private int postgresPort;
    private int ngircdPort;

    private TestBed(Path projectDir) {
        this.projectDir = projectDir;
        this.workDir = projectDir.resolve("target/testbed");
        this.scripts = new Scripts(projectDir.resolve("scripts"), workDir.resolve("scripts.log"));
        this.ircPort = freePort();
        this.synapsePort = freePort();
        this.bridgePort = freePort();
        this.hubLinkPort = freePort();
        this.leafLinkPort = freePort();
        this.strictIrcPort = freePort();
    }

    /**
     * The test bed of this JVM, started on first use (which installs missing packages and starts the servers).
     *
     * @throws IllegalStateException when it cannot start; later calls fail the same way at once
     */
    public static synchronized TestBed get() {
        if (startFailure != null) {
            throw new IllegalStateException("the test bed failed to start earlier", startFailure);
        }
        if (instance == null) {
            TestBed bed = new TestBed(locateProjectDir());
            Runtime.getRuntime().addShutdownHook(new Thread(bed::stop, "testbed-stop"));
            try {
                bed.start();
            } catch (RuntimeException e) {
                startFailure = e;
                throw e;
            }
            instance = bed;
        }
        return instance;
    }

    private static Path locateProjectDir() {
        String dir = System.getProperty("bridge.project.dir");
        return Path.of(dir != null ? dir : "").toAbsolutePath().normalize();
    }

    private void start() {
        long started = System.nanoTime();
        cleanUpPreviousRun();
        scripts.run(INSTALL_TIMEOUT, Map.of(), "install-deps.sh");
        scripts.run(START_TIMEOUT, Map.of("INSPIRCD_SERVER_NAME", IRC_SERVER_NAME, "INSPIRCD_LEAF_NAME", LEAF_SERVER_NAME,
                        "INSPIRCD_LINK_PORT", String.valueOf(hubLinkPort), "INSPIRCD_LEAF_LINK_PORT", String.valueOf(leafLinkPort),
                        "INSPIRCD_SERVICES_NAME", SERVICES_SERVER_NAME, "INSPIRCD_STRICT_PORT", String.valueOf(strictIrcPort),
                        "INSPIRCD_STRICT_THRESHOLD", String.valueOf(STRICT_THRESHOLD),
                        "INSPIRCD_STRICT_COMMANDRATE", String.valueOf(STRICT_LINES_PER_SECOND * 1000)),
                "inspircd.sh", "start", ircDir().toString(), String.valueOf(ircPort));
        registrationFile = BridgeSetup.writeRegistration(this);
        unreachableRegistrationFile = BridgeSetup.writeUnreachableRegistration(this);
        scripts.run(START_TIMEOUT, Map.of("SYNAPSE_SHARED_SECRET", sharedSecret), "synapse.sh", "start",
                synapseDir().toString(), String.valueOf(synapsePort),
                registrationFile + "," + unreachableRegistrationFile);
        System.err.printf("[testbed] InspIRCd on 127.0.0.1:%d and Synapse on %s ready in %d ms (logs in %s)%n",
                ircPort, synapseUrl(), (System.nanoTime() - started) / 1_000_000, workDir);
    }

    /** Stops servers a killed earlier run left behind (their pid files are still here), then clears the directory. */
    private void cleanUpPreviousRun() {
        if (Files.isDirectory(workDir)) {
            stopAll();
            deleteRecursively(workDir);
        }
        try {
            Files.createDirectories(workDir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void stop() {
        stopAll();
    }

    private void stopAll() {
        synchronized (this) {
            if (linkControl != null) {
                linkControl.close();
            }
        }
        quietly("synapse.sh", "stop", synapseDir().toString());
        quietly("anope.sh", "stop", servicesDir().toString());
        quietly("inspircd.sh", "stop", leafDir().toString());
        quietly("inspircd.sh", "stop", ircDir().toString());
        quietly("postgres.sh", "stop", postgresDir().toString(), "--purge");
        quietly("ngircd.sh", "stop", ngircdDir().toString());
        stopSeparateIrcServers();
    }

    private void quietly(String script, String... args) {
        try {
            scripts.run(STOP_TIMEOUT, Map.of(), script, args);
        } catch (RuntimeException e) {
            System.err.println("[testbed] " + e.getMessage());
        }
    }

    private Path ircDir() {
        return workDir.resolve("inspircd");
    }

    private Path leafDir() {
        return workDir.resolve("inspircd-leaf");
    }

    private Path servicesDir() {
        return workDir.resolve("anope");
    }

    private Path synapseDir() {
        return workDir.resolve("synapse");
    }

    private Path postgresDir() {
        return workDir.resolve("postgres");
    }

    private Path ngircdDir() {
        return workDir.resolve("ngircd");
    }

    /** The project's root directory. */
    public Path projectDir() {
        return projectDir;
    }

    /** {@code target/testbed/}: the servers' directories, logs and the registration file. */
    public Path workDir() {
        return workDir;
    }

    /** The packaged bridge ({@code target/quarkus-app/quarkus-run.jar}, from the {@code bridge.jar} property). */
    public Path bridgeJar() {
        String jar = System.getProperty("bridge.jar");
        return jar != null ? Path.of(jar) : projectDir.resolve("target/quarkus-app/quarkus-run.jar");
    }

    /** Base URL of Synapse's client-server API, e.g. {@code http://127.0.0.1:34567}. */
    public String synapseUrl() {
        return "http://127.0.0.1:" + synapsePort;
    }

    /** The homeserver's server name. */
    public String serverName() {
        return SERVER_NAME;
    }

    /** Synapse's {@code registration_shared_secret}, for registering users through the admin API. */
    public String registrationSharedSecret() {
        return sharedSecret;
    }

    /** The appservice registration Synapse loaded (written by {@link BridgeSetup}). */
    public Path registrationFile() {
        return registrationFile;
    }

    /**
     * A second appservice Synapse knows, whose registered URL points at a port where nothing listens: a bridge
     * using it shows what happens when the homeserver cannot reach the bridge. Made by
     * {@link BridgeSetup#writeUnreachableRegistration}.
     */
    public Path unreachableRegistrationFile() {
        return unreachableRegistrationFile;
    }

    /** A free port reserved for the bridge under test; the registration points Synapse at it. */
    public int bridgePort() {
        return bridgePort;
    }

    /** Host of the IRC server. */
    public String ircHost() {
        return "127.0.0.1";
    }

    /** Port of the IRC server. */
    public int ircPort() {
        return ircPort;
    }

    /** Lines a client of {@link #strictIrcPort()} may be ahead of the rate before it quits with "Excess Flood". */
    public static final int STRICT_THRESHOLD = 10;
    /** Lines a second a client of {@link #strictIrcPort()} earns back (InspIRCd's default is 1; faster keeps tests short). */
    public static final int STRICT_LINES_PER_SECOND = 4;

    /**
     * A second client port of the IRC server where flood control is on, as on real networks: a client that gets
     * {@link #STRICT_THRESHOLD} lines ahead of {@link #STRICT_LINES_PER_SECOND} lines a second quits with
     * "Excess Flood" (at {@link #ircPort()} there is no limit at all).
     */
    public int strictIrcPort() {
        return strictIrcPort;
    }

    /** Server name of the IRC server at {@link #ircPort()}: {@value #IRC_SERVER_NAME}. */
    public String ircServerName() {
        return IRC_SERVER_NAME;
    }

    /**
     * The QUIT reason users of the leaf get on the main server when {@link #split()} breaks the link:
     * {@code "irc.test leaf.test"} (the two servers' names; {@code <security hidesplits="no">}).
     */
    public String splitQuitReason() {
        return IRC_SERVER_NAME + " " + LEAF_SERVER_NAME;
    }

    /**
     * Stops the main InspIRCd ({@value #IRC_SERVER_NAME}), as {@code inspircd.sh stop} does (SIGTERM): every client
     * connected to it is disconnected, and a started leaf loses its link. {@link #startIrcAgain()} brings it back;
     * call it in a {@code finally}, since every later test of the JVM needs the server.
     */
    public synchronized void stopIrc() {
        long started = System.nanoTime();
        if (linkControl != null) {
            linkControl.close();
            linkControl = null;
        }
        // Returns once the process is gone (SIGTERM, then SIGKILL after a grace period), and with it its sockets.
        scripts.run(STOP_TIMEOUT, Map.of(), "inspircd.sh", "stop", ircDir().toString());
        System.err.printf("[testbed] InspIRCd %s stopped in %d ms%n", IRC_SERVER_NAME, (System.nanoTime() - started) / 1_000_000);
    }

    /**
     * Starts the main InspIRCd again after {@link #stopIrc()}: same port, same configuration file (the one the first
     * start wrote), ready once a client registers. When the leaf was started, it is linked again (see
     * {@link #heal()}) before this returns. Channels and their modes are gone, as after any server restart.
     *
     * @throws IllegalStateException when it does not start (or the leaf does not link) in time
     */
    public synchronized void startIrcAgain() {
        long started = System.nanoTime();
        scripts.run(START_TIMEOUT, Map.of(), "inspircd.sh", "restart", ircDir().toString(), String.valueOf(ircPort));
        System.err.printf("[testbed] InspIRCd %s started again on 127.0.0.1:%d in %d ms%n", IRC_SERVER_NAME, ircPort,
                (System.nanoTime() - started) / 1_000_000);
        if (leaf != null) {
            heal();
        }
    }

    /** {@link #stopIrc()}, then {@link #startIrcAgain()}: an InspIRCd restart as an operator would do it. */
    public synchronized void restartIrc() {
        stopIrc();
        startIrcAgain();
    }

    /**
     * Stops the test bed's Synapse, as {@code synapse.sh stop} does (SIGTERM, then SIGKILL after a grace period):
     * returns once the process is gone. Its database stays. {@link #startSynapseAgain()} brings it back; call it in a
     * {@code finally}, since every later test of the JVM (and the bridges of other test classes) needs the server.
     */
    public synchronized void stopSynapse() {
        long started = System.nanoTime();
        scripts.run(STOP_TIMEOUT, Map.of(), "synapse.sh", "stop", synapseDir().toString());
        System.err.printf("[testbed] Synapse stopped in %d ms%n", (System.nanoTime() - started) / 1_000_000);
    }

    /**
     * Starts Synapse again after {@link #stopSynapse()}: same port, same database (users, rooms, the appservices'
     * registrations and what Synapse remembers of their transactions), same shared secret; returns once it answers
     * {@code /health}. A no-op when it is running.
     *
     * @throws IllegalStateException when it does not start in time
     */
    public synchronized void startSynapseAgain() {
        if (Files.exists(synapseDir().resolve("synapse.pid")) && synapseProcessAlive()) {
            return;
        }
        long started = System.nanoTime();
        // synapse.sh start keeps a directory's existing database and rewrites the same configuration.
        scripts.run(START_TIMEOUT, Map.of("SYNAPSE_SHARED_SECRET", sharedSecret), "synapse.sh", "start",
                synapseDir().toString(), String.valueOf(synapsePort),
                registrationFile + "," + unreachableRegistrationFile);
        System.err.printf("[testbed] Synapse started again on %s in %d ms%n", synapseUrl(), (System.nanoTime() - started) / 1_000_000);
    }

    /** {@link #stopSynapse()}, then {@link #startSynapseAgain()}: a homeserver restart as an operator would do it. */
    public synchronized void restartSynapse() {
        stopSynapse();
        startSynapseAgain();
    }

    private boolean synapseProcessAlive() {
        try {
            long pid = Long.parseLong(Files.readString(synapseDir().resolve("synapse.pid")).trim());
            return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
        } catch (IOException | NumberFormatException e) {
            return false;
        }
    }

    /**
     * IRC services on the main server: Anope, with a NickServ where connections REGISTER, IDENTIFY and LOGOUT, and
     * SASL PLAIN for accounts; the server tells a client 900 when it is logged in and 901 when it is logged out.
     * Started on the first call (once per JVM; the shutdown hook stops them); every call returns once a client finds
     * NickServ on the network, so after {@link #restartIrc()} it waits for the services to link again (they retry
     * every second by themselves).
     *
     * @throws IllegalStateException when the services do not start or link in time
     */
    public synchronized void startServices() {
        long started = System.nanoTime();
        if (!servicesStarted) {
            scripts.run(START_TIMEOUT, Map.of("ANOPE_SERVER_NAME", SERVICES_SERVER_NAME), "anope.sh", "start",
                    servicesDir().toString(), String.valueOf(hubLinkPort), String.valueOf(ircPort));
            servicesStarted = true;
            System.err.printf("[testbed] Anope %s linked in %d ms (logs in %s)%n", SERVICES_SERVER_NAME,
                    (System.nanoTime() - started) / 1_000_000, servicesDir());
            return;
        }
        Deadline deadline = deadline();
        try (IrcTestClient probe = IrcTestClient.connect(ircHost(), ircPort, uniqueName("svcprobe"), OPER_NAME, OPER_PASSWORD,
                DEFAULT_TIMEOUT)) {
            while (true) {
                probe.send("WHOIS NickServ");
                IrcMessage m = probe.awaitMessage(x -> x.is("311") || x.is("401"), deadline.remaining());
                if (m.is("311")) {
                    return;
                }
                if (deadline.expired()) {
                    throw new IllegalStateException("NickServ is not on the network; see " + servicesDir().resolve("anope.out"));
                }
                pause(deadline);
            }
        }
    }

    /**
     * The second IRC server, linked to the main one: started on the first call (once per JVM; the shutdown hook
     * stops it), and on every call linked again if a {@link #split()} left it apart. Same settings as the main
     * server (oper account, no limits for 127.0.0.1).
     */
    public synchronized LeafServer startLeaf() {
        if (leaf == null) {
            long started = System.nanoTime();
            int port = freePort();
            scripts.run(START_TIMEOUT, Map.of("INSPIRCD_SERVER_NAME", IRC_SERVER_NAME, "INSPIRCD_LEAF_NAME", LEAF_SERVER_NAME),
                    "inspircd.sh", "start-leaf", leafDir().toString(), String.valueOf(port),
                    String.valueOf(hubLinkPort), String.valueOf(leafLinkPort));
            leaf = new LeafServer(LEAF_SERVER_NAME, ircHost(), port);
            heal();
            System.err.printf("[testbed] leaf InspIRCd %s on 127.0.0.1:%d started and linked in %d ms (logs in %s)%n",
                    LEAF_SERVER_NAME, port, (System.nanoTime() - started) / 1_000_000, leafDir());
        } else {
            heal();
        }
        return leaf;
    }

    /**
     * Breaks the link between the main server and the leaf (an oper on the main server runs
     * {@code SQUIT leaf.test}): the main server's users see every leaf user QUIT with {@link #splitQuitReason()},
     * while the leaf's users stay connected to the leaf. Returns once the main server has dropped the leaf (it
     * does so at once; the leaf notices the closed link a moment later). A no-op when the leaf is not linked.
     *
     * @throws IllegalStateException when the leaf was never started or is still linked after the deadline
     */
    public synchronized void split() {
        requireLeaf();
        long started = System.nanoTime();
        Deadline deadline = deadline();
        IrcTestClient control = linkControl();
        if (!leafLinked(control, deadline)) {
            return;
        }
        control.send("SQUIT " + LEAF_SERVER_NAME + " :test split");
        while (leafLinked(control, deadline)) {
            if (deadline.expired()) {
                throw new IllegalStateException(LEAF_SERVER_NAME + " is still linked after SQUIT; see " + ircDir().resolve("ircd.log"));
            }
            pause(deadline);
        }
        System.err.printf("[testbed] %s split off in %d ms%n", LEAF_SERVER_NAME, (System.nanoTime() - started) / 1_000_000);
    }

    /**
     * Links the leaf to the main server again (an oper on the main server runs {@code CONNECT leaf.test}, retried
     * until it takes) and returns once both bursts are over: the main server got the leaf's end of burst (its users
     * and channels, so the main server's users have seen the leaf users' JOINs, the "netjoin") and the leaf
     * answered a request sent after the main server's burst. A no-op when the leaf is linked.
     *
     * @throws IllegalStateException when the leaf was never started or does not link before the deadline
     */
    public synchronized void heal() {
        requireLeaf();
        long started = System.nanoTime();
        Deadline deadline = deadline();
        IrcTestClient control = linkControl();
        if (leafLinked(control, deadline)) {
            return;
        }
        while (true) {
            drain(control);
            control.send("CONNECT " + LEAF_SERVER_NAME);
            IrcMessage m = control.awaitMessage(x -> x.is("NOTICE") && (burstEnded(x) || linkFailed(x)), deadline.remaining());
            if (burstEnded(m)) {
                break;
            }
            // e.g. the leaf has not noticed the last split yet and still thinks it is linked: try again
            if (deadline.expired()) {
                throw new IllegalStateException(LEAF_SERVER_NAME + " does not link: " + m.raw() + "; see " + leafDir().resolve("ircd.log"));
            }
            pause(deadline);
        }
        // The leaf answers after it has processed everything the main server sent before: its burst, too.
        control.send("TIME " + LEAF_SERVER_NAME);
        control.awaitMessage(x -> x.is("391") && LEAF_SERVER_NAME.equalsIgnoreCase(x.prefix()), deadline.remaining());
        System.err.printf("[testbed] %s linked in %d ms%n", LEAF_SERVER_NAME, (System.nanoTime() - started) / 1_000_000);
    }

    /** Whether the leaf is linked to the main server now (it is listed by LINKS there). */
    public synchronized boolean leafLinked() {
        requireLeaf();
        return leafLinked(linkControl(), deadline());
    }

    private void requireLeaf() {
        if (leaf == null) {
            throw new IllegalStateException("the leaf server is not started; call startLeaf() first");
        }
    }

    /** An oper on the main server that sees link notices (snomasks l and L); reconnected when it was dropped. */
    private IrcTestClient linkControl() {
        if (linkControl == null || !linkControl.isConnected()) {
            if (linkControl != null) {
                linkControl.close();
            }
            IrcTestClient control = IrcTestClient.connect(ircHost(), ircPort, uniqueName("tblink"), OPER_NAME, OPER_PASSWORD, DEFAULT_TIMEOUT);
            control.oper();
            control.send("MODE " + control.nick() + " +s +lL");
            control.awaitMessage(m -> m.is("MODE") && control.nick().equalsIgnoreCase(m.param(0)) && m.raw().contains("+s"), DEFAULT_TIMEOUT);
            linkControl = control;
        }
        return linkControl;
    }

    private static boolean leafLinked(IrcTestClient control, Deadline deadline) {
        control.send("LINKS");
        Set<String> servers = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        while (true) {
            IrcMessage m = control.awaitMessage(x -> x.is("364") || x.is("365"), deadline.remainingAtMost(DEFAULT_TIMEOUT));
            if (m.is("365")) {
                return servers.contains(LEAF_SERVER_NAME);
            }
            servers.add(m.param(1));
        }
    }

    private static boolean burstEnded(IrcMessage m) {
        String text = m.trailing().replace("\u0002", "");
        return text.contains("Received end of netburst from " + LEAF_SERVER_NAME);
    }

    private static boolean linkFailed(IrcMessage m) {
        String text = m.trailing().replace("\u0002", "");
        return text.contains("*** CONNECT: ") && !text.contains("Connecting to server")
                || text.contains(LEAF_SERVER_NAME) && (text.contains("failed") || text.contains("rror")) && !text.contains("was established")
                || text.contains("denied");
    }

    /** Drops every line the control client has buffered: the next waits see only answers to what comes next. */
    private static void drain(IrcTestClient control) {
        try {
            while (true) {
                control.awaitMessage(m -> true, Duration.ZERO);
            }
        } catch (AssertionError nothingLeft) {
            // empty (or closed: the next wait says so)
        }
    }

    private static void pause(Deadline deadline) {
        try {
            Thread.sleep(deadline.remainingAtMost(Duration.ofMillis(100)).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    /**
     * The second IRC server, {@value #LEAF_SERVER_NAME}, started by {@link #startLeaf()}.
     *
     * @param name its server name
     * @param host its host for clients (127.0.0.1)
     * @param port its client port
     */
    public record LeafServer(String name, String host, int port) {

        /** Connects a client to this server as {@code nick} (same oper account as the main server) and waits for 001. */
        public IrcTestClient connect(String nick) {
            return IrcTestClient.connect(host, port, nick, OPER_NAME, OPER_PASSWORD, DEFAULT_TIMEOUT);
        }
    }

    /** Name of the IRC server's operator account (usable from 127.0.0.1). */
    public String operName() {
        return OPER_NAME;
    }

    /** Password of the IRC server's operator account. */
    public String operPassword() {
        return OPER_PASSWORD;
    }

    /** JDBC URL of the {@code bridge} database; starts PostgreSQL on first use. */
    public synchronized String postgresJdbcUrl() {
        if (postgresPort == 0) {
            int port = freePort();
            scripts.run(START_TIMEOUT, Map.of(), "postgres.sh", "start", postgresDir().toString(), String.valueOf(port));
            postgresPort = port;
        }
        return "jdbc:postgresql://127.0.0.1:" + postgresPort + "/bridge";
    }

    // --- PostgreSQL restarts (fault suite) ---

    /**
     * Stops the test bed's PostgreSQL (a "fast" shutdown: every client connection is dropped at once), keeping its
     * data; {@link #startPostgresAgain()} brings it back on the same port. Call that in a {@code finally}.
     *
     * @throws IllegalStateException when PostgreSQL was never started ({@link #postgresJdbcUrl()} starts it)
     */
    public synchronized void stopPostgres() {
        if (postgresPort == 0) {
            throw new IllegalStateException("PostgreSQL is not started; call postgresJdbcUrl() first");
        }
        long started = System.nanoTime();
        scripts.run(STOP_TIMEOUT, Map.of(), "postgres.sh", "stop", postgresDir().toString());
        System.err.printf("[testbed] PostgreSQL stopped in %d ms%n", (System.nanoTime() - started) / 1_000_000);
    }

    /** Starts PostgreSQL again after {@link #stopPostgres()}: same port, same data; returns once it accepts connections. */
    public synchronized void startPostgresAgain() {
        long started = System.nanoTime();
        scripts.run(START_TIMEOUT, Map.of(), "postgres.sh", "start", postgresDir().toString(), String.valueOf(postgresPort));
        System.err.printf("[testbed] PostgreSQL started again on 127.0.0.1:%d in %d ms%n", postgresPort,
                (System.nanoTime() - started) / 1_000_000);
    }

    /** {@link #stopPostgres()}, then {@link #startPostgresAgain()}: a database restart under the bridge's feet. */
    public synchronized void restartPostgres() {
        stopPostgres();
        startPostgresAgain();
    }

    // --- end of PostgreSQL restarts ---

    /** Server name of the ngIRCd at {@link #ngircdPort()}. */
    public static final String NGIRCD_SERVER_NAME = "ngircd.test";

    /**
     * Port (on {@link #ircHost()}) of a second IRC network: an ngIRCd 26 (Debian's package), which has no KNOCK
     * command (it answers 421) and, like the InspIRCd, no limits for 127.0.0.1 and the oper account
     * {@link #operName()}. Started on the first call (not linked to the InspIRCd); the shutdown hook stops it.
     */
    public synchronized int ngircdPort() {
        if (ngircdPort == 0) {
            long started = System.nanoTime();
            int port = freePort();
            scripts.run(START_TIMEOUT, Map.of("NGIRCD_SERVER_NAME", NGIRCD_SERVER_NAME), "ngircd.sh", "start",
                    ngircdDir().toString(), String.valueOf(port));
            ngircdPort = port;
            System.err.printf("[testbed] ngIRCd on 127.0.0.1:%d ready in %d ms (logs in %s)%n", port,
                    (System.nanoTime() - started) / 1_000_000, ngircdDir());
        }
        return ngircdPort;
    }

    /** Directories of the InspIRCds {@link #startSeparateIrc} starts: {@code target/testbed/inspircd-separate-<name>}. */
    private static final String SEPARATE_IRC_PREFIX = "inspircd-separate-";

    /**
     * An InspIRCd of its own (not linked to the main one), started now by {@code inspircd.sh start} with more of its
     * environment settings (e.g. {@code INSPIRCD_MAX_CHANNELS}); stopped by the shutdown hook (or
     * {@link SeparateIrcServer#stop()}). Otherwise the same settings as the main server (oper account, no limits for
     * 127.0.0.1). Its server name is {@code <name>.separate.test} unless {@code settings} name one.
     *
     * @param name a name for its directory, {@code target/testbed/inspircd-separate-<name>}, unique in the JVM
     */
    public synchronized SeparateIrcServer startSeparateIrc(String name, Map<String, String> settings) {
        int port = freePort();
        return new SeparateIrcServer(launchSeparateIrc(name, port, settings), port);
    }

    private Path launchSeparateIrc(String name, int port, Map<String, String> settings) {
        long started = System.nanoTime();
        Path dir = workDir.resolve(SEPARATE_IRC_PREFIX + name);
        Map<String, String> environment = new TreeMap<>(Map.of("INSPIRCD_SERVER_NAME", name + ".separate.test"));
        environment.putAll(settings);
        scripts.run(START_TIMEOUT, environment, "inspircd.sh", "start", dir.toString(), String.valueOf(port));
        System.err.printf("[testbed] InspIRCd %s on 127.0.0.1:%d with %s ready in %d ms (logs in %s)%n", name, port, settings,
                (System.nanoTime() - started) / 1_000_000, dir);
        return dir;
    }

    /**
     * An InspIRCd of its own (not linked to the main one) with a TLS client port serving a PEM certificate (chain) and
     * key, next to a plain-text client port; started now, stopped by the shutdown hook (or {@link TlsIrcServer#stop()}).
     * Same settings as the main server (oper account, no limits for 127.0.0.1). A {@link #startSeparateIrc}.
     *
     * @param name a name for its directory, {@code target/testbed/inspircd-separate-tls-<name>}
     */
    public synchronized TlsIrcServer startTlsIrc(String name, Path certificate, Path key) {
        int port = freePort();
        int tlsPort = freePort();
        Path dir = launchSeparateIrc("tls-" + name, port, Map.of("INSPIRCD_SERVER_NAME", name + ".tls.test",
                "INSPIRCD_TLS_PORT", String.valueOf(tlsPort),
                "INSPIRCD_TLS_CERT", certificate.toAbsolutePath().toString(), "INSPIRCD_TLS_KEY", key.toAbsolutePath().toString()));
        return new TlsIrcServer(dir, port, tlsPort);
    }

    /** An InspIRCd started by {@link #startSeparateIrc}: {@code port} is its plain-text client port on 127.0.0.1. */
    public class SeparateIrcServer {
        private final Path dir;
        private final int port;

        private SeparateIrcServer(Path dir, int port) {
            this.dir = dir;
            this.port = port;
        }

        public int port() {
            return port;
        }

        /** Connects a plain-text client to this server as {@code nick} (the oper account works) and waits for 001. */
        public IrcTestClient connect(String nick) {
            return IrcTestClient.connect(ircHost(), port, nick, OPER_NAME, OPER_PASSWORD, DEFAULT_TIMEOUT);
        }

        public void stop() {
            quietly("inspircd.sh", "stop", dir.toString());
        }
    }

    /** An InspIRCd started by {@link #startTlsIrc}: {@code port} plain text, {@code tlsPort} TLS, both on 127.0.0.1. */
    public final class TlsIrcServer extends SeparateIrcServer {
        private final int tlsPort;

        private TlsIrcServer(Path dir, int port, int tlsPort) {
            super(dir, port);
            this.tlsPort = tlsPort;
        }

        public int tlsPort() {
            return tlsPort;
        }
    }

    /** Stops every server {@link #startSeparateIrc} started, a killed earlier run's too. */
    private void stopSeparateIrcServers() {
        if (!Files.isDirectory(workDir)) {
            return;
        }
        try (Stream<Path> dirs = Files.list(workDir)) {
            dirs.filter(d -> d.getFileName().toString().startsWith(SEPARATE_IRC_PREFIX))
                    .forEach(d -> quietly("inspircd.sh", "stop", d.toString()));
        } catch (IOException e) {
            System.err.println("[testbed] " + e);
        }
    }

    /** PostgreSQL user owning the {@code bridge} database. */
    public String postgresUser() {
        return "bridge";
    }

    /** Password of {@link #postgresUser()}. */
    public String postgresPassword() {
        return "bridge";
    }

    /**
     * A short name unique in this JVM, safe as an IRC nick or channel name and as a Matrix localpart: lower-case
     * letters and digits, starting with a letter, at most 12 characters; the prefix's start, a counter and random
     * characters (so names also differ from a previous run's).
     */
    public String uniqueName(String prefix) {
        String clean = prefix.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]", "");
        if (clean.isEmpty() || !Character.isLetter(clean.charAt(0))) {
            clean = "u" + clean;
        }
        String counter = Integer.toString(nameCounter.incrementAndGet(), 36);
        StringBuilder name = new StringBuilder(clean.substring(0, Math.min(clean.length(), 12 - counter.length() - 3)));
        name.append(counter);
        while (name.length() < 12) {
            name.append(Character.forDigit(random.nextInt(36), 36));
        }
        return name.toString();
    }

    /** A deadline {@code timeout} from now. */
    public static Deadline deadline(Duration timeout) {
        return Deadline.in(timeout);
    }

    /** A deadline {@link #DEFAULT_TIMEOUT} from now. */
    public static Deadline deadline() {
        return Deadline.in(DEFAULT_TIMEOUT);
    }

    /** A port on 127.0.0.1 that was free a moment ago. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        new SecureRandom().nextBytes(b);
        return HexFormat.of().formatHex(b);
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
