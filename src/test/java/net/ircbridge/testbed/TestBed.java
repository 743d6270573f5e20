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
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * The real servers the integration tests run against, shared by every test of one JVM: one InspIRCd and one
 * Synapse (with the bridge's appservice registration loaded), and PostgreSQL when a test first asks for it.
 * Everything listens on 127.0.0.1 on free ports and lives under {@code target/testbed/}; a JVM shutdown hook
 * stops it. Started by the first {@link #get()}.
 */
public final class TestBed {

    /** A generous default for waits in tests: the machines running them may be small and busy. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private static final String SERVER_NAME = "localhost";
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
    private Path registrationFile;
    private Path unreachableRegistrationFile;
    private int postgresPort;

    private TestBed(Path projectDir) {
        this.projectDir = projectDir;
        this.workDir = projectDir.resolve("target/testbed");
        this.scripts = new Scripts(projectDir.resolve("scripts"), workDir.resolve("scripts.log"));
        this.ircPort = freePort();
        this.synapsePort = freePort();
        this.bridgePort = freePort();
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
        scripts.run(START_TIMEOUT, Map.of(), "inspircd.sh", "start", ircDir().toString(), String.valueOf(ircPort));
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
        quietly("synapse.sh", "stop", synapseDir().toString());
        quietly("inspircd.sh", "stop", ircDir().toString());
        quietly("postgres.sh", "stop", postgresDir().toString(), "--purge");
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

    private Path synapseDir() {
        return workDir.resolve("synapse");
    }

    private Path postgresDir() {
        return workDir.resolve("postgres");
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
