package net.ircbridge.testbed;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs the project's shell scripts (scripts/*.sh) with a time limit, their output appended to a log file. */
final class Scripts {

    private final Path scriptsDir;
    private final Path logFile;

    Scripts(Path scriptsDir, Path logFile) {
        this.scriptsDir = scriptsDir;
        this.logFile = logFile;
    }

    /**
     * Runs {@code scripts/<script> args...} and waits for it.
     *
     * @throws IllegalStateException when it fails or outlives {@code timeout} (it is then killed)
     */
    void run(Duration timeout, Map<String, String> env, String script, String... args) {
        List<String> command = new ArrayList<>(List.of("bash", scriptsDir.resolve(script).toString()));
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile.toFile()));
        builder.environment().putAll(env);
        try {
            Files.createDirectories(logFile.getParent());
            Process process = builder.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new IllegalStateException(describe(command) + " did not finish within " + timeout + "; log: " + logFile);
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(describe(command) + " failed with exit code " + process.exitValue()
                        + "; end of " + logFile + ":\n" + tail());
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot run " + describe(command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted running " + describe(command), e);
        }
    }

    private static String describe(List<String> command) {
        return String.join(" ", command.subList(1, command.size()));
    }

    private String tail() {
        try {
            List<String> lines = Files.readAllLines(logFile);
            return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }
}
