package net.ircbridge.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import net.ircbridge.testbed.Await;

/**
 * The bridge under test as a real process: the packaged jar started with a configuration file, exactly as an
 * operator starts it. Its output is kept so tests can wait for log lines.
 */
public final class BridgeProcess implements AutoCloseable {

    /** Time the bridge gets to start (JVM, migrations, homeserver checks). */
    public static final Duration START_TIMEOUT = Duration.ofSeconds(60);

    private final Process process;
    private final List<String> output = new CopyOnWriteArrayList<>();
    private final Thread pump;

    /** Numbers the bridge processes of a test run, for the names of their log files. */
    private static final java.util.concurrent.atomic.AtomicInteger STARTED = new java.util.concurrent.atomic.AtomicInteger();

    private BridgeProcess(Process process, String name) {
        this.process = process;
        Path log = logFile(name, process.pid());
        this.pump = new Thread(() -> pump(process.getInputStream(), name, log), "bridge-output-" + name);
        pump.setDaemon(true);
        pump.start();
    }

    /** The packaged bridge, built by the Maven build before the integration tests run. */
    public static Path jar() {
        String jar = System.getProperty("bridge.jar");
        if (jar == null) {
            throw new IllegalStateException("system property bridge.jar is not set; run the tests with ./mvnw verify");
        }
        return Path.of(jar);
    }

    /** Starts the bridge with a configuration file and waits until it says it is ready. */
    public static BridgeProcess start(Path config) {
        return start(config, List.of());
    }

    /**
     * Like {@link #start(Path)}, with options for the bridge's JVM after the usual ones (a later {@code -Xmx}
     * wins, so a test can give the bridge a smaller heap).
     */
    public static BridgeProcess start(Path config, List<String> jvmOptions) {
        BridgeProcess bridge = launch(config.getFileName().toString(), jvmOptions, "-c", config.toString());
        try {
            bridge.awaitLog(line -> line.contains("Bridge ready"), START_TIMEOUT);
        } catch (AssertionError e) {
            bridge.close();
            throw new AssertionError(e.getMessage() + "\nbridge output:\n" + String.join("\n", bridge.output()), e);
        }
        return bridge;
    }

    /** Starts the bridge's command line with arguments, without waiting for anything. */
    public static BridgeProcess launch(String name, String... args) {
        return launch(name, List.of(), args);
    }

    private static BridgeProcess launch(String name, List<String> jvmOptions, String... args) {
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-Xmx256m"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar().toString()));
        command.addAll(List.of(args));
        try {
            return new BridgeProcess(new ProcessBuilder(command).redirectErrorStream(true).start(), name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Runs the command line to its end and returns its exit code; the output is in {@link #output()}. */
    public static BridgeProcess runToExit(String... args) {
        BridgeProcess run = launch("cli", args);
        try {
            if (!run.process.waitFor(60, TimeUnit.SECONDS)) {
                run.process.destroyForcibly();
                throw new AssertionError("the bridge's command line did not exit within 60 s: " + run.output());
            }
            run.pump.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
        return run;
    }

    /** The operating system's id of the bridge's process (to read its memory in /proc, or to ask jcmd). */
    public long pid() {
        return process.pid();
    }

    /** Whether the bridge's process is still running. */
    public boolean isAlive() {
        return process.isAlive();
    }

    public int exitCode() {
        return process.exitValue();
    }

    /** Everything the process printed so far, one entry per line. */
    public List<String> output() {
        return List.copyOf(output);
    }

    /** Waits for a line of output matching {@code match} and returns it. */
    public String awaitLog(Predicate<String> match, Duration timeout) {
        boolean[] exited = new boolean[1];
        String line = Await.untilPresent(timeout, "the bridge logs a matching line", () -> {
            java.util.Optional<String> found = output.stream().filter(match).findFirst();
            // A bridge that has exited will log nothing more: stop waiting (after its last lines are read).
            exited[0] = found.isEmpty() && !process.isAlive() && !pump.isAlive();
            return found.isPresent() || exited[0] ? java.util.Optional.of(found.orElse("")) : java.util.Optional.empty();
        });
        if (exited[0]) {
            throw new AssertionError("the bridge exited with " + process.exitValue() + ":\n" + String.join("\n", output));
        }
        return line;
    }

    /** Stops the bridge as an operator would (SIGTERM) and waits for it to exit. */
    public void stop() {
        process.destroy();
        try {
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Kills the bridge without warning (kill -9), as a crash would. */
    public void kill() {
        try {
            process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            stop();
        }
    }

    /**
     * Where the process's output is kept for a diagnosis after the run ({@code target/failsafe-reports/bridge-logs/},
     * beside the test reports): a failing test's bridge said what it did there, whichever test started it.
     */
    private static Path logFile(String name, long pid) {
        String project = System.getProperty("bridge.project.dir", ".");
        return Path.of(project, "target", "failsafe-reports", "bridge-logs",
                String.format("%03d-%s-%d.log", STARTED.incrementAndGet(), name.replaceAll("[^A-Za-z0-9.-]", "_"), pid));
    }

    private void pump(InputStream in, String name, Path log) {
        java.io.Writer file = null;
        try {
            java.nio.file.Files.createDirectories(log.getParent());
            file = java.nio.file.Files.newBufferedWriter(log, StandardCharsets.UTF_8);
        } catch (IOException e) {
            System.err.println("[bridge " + name + "] cannot keep the output in " + log + ": " + e);
        }
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                output.add(line);
                if (file != null) {
                    file.write(line);
                    file.write('\n');
                    file.flush();
                }
                if (Boolean.getBoolean("bridge.echo")) {
                    System.out.println("[bridge " + name + "] " + line);
                }
            }
        } catch (IOException e) {
            // The process ended.
        } finally {
            if (file != null) {
                try {
                    file.close();
                } catch (IOException e) {
                    // nothing more to keep
                }
            }
        }
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
