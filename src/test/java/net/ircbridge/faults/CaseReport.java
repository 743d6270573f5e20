package net.ircbridge.faults;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.Locale;

/**
 * The figures of one fault case, as one row of the results table (see bench/faults/README.md for the columns).
 *
 * @param ircWhileBotAway IRC messages said while the bridge's bot was not on the channel (the bridge down, or the
 *                        bot's connection dropped): IRC keeps no history, so they are not counted as sent
 * @param softKicksOwed   users who still want to be in a room whose last soft kick got no invite back
 * @param wrongInvites    invites from the bot to users who had left the room on their own
 * @param exposureMillis  time joined users could read a room while absent from its channel, beyond the grace period
 * @param exposedMessages IRC messages that arrived in a room in that time (counted once per such reader)
 * @param heapBeforeKb    the bridge's used heap after a full GC, before the fault ({@code -1}: not measured)
 * @param heapAfterKb     the same once the case settled (the bridge process at the end)
 * @param logDir          where the case kept its bridges' logs and what it could not account for ({@link #diagnosis()})
 */
record CaseReport(String name, String size, MessageFigures matrixToIrc, MessageFigures ircToMatrix, int ircWhileBotAway, int softKicksOwed,
        int wrongInvites, long exposureMillis, int exposedMessages, long heapBeforeKb, long heapAfterKb, long seconds, Path logDir) {

    /** Lines of each kept file a diagnosis shows at most. */
    private static final int DIAGNOSIS_LINES = 40;

    static final String HEADER = """
            | case | size | M→I sent | delivered | said | lost | crash window | dup | reord | I→M sent | delivered | said | lost | crash window | dup | reord | I→M bot away | soft kicks owed | wrong invites | exposed s | exposed msgs | heap before | heap after | s |
            |---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|
            """;

    String row() {
        return String.format(Locale.ROOT, "| %s | %s | %s | %s | %d | %d | %d | %.1f | %d | %s | %s | %d |%n", name, size, cells(matrixToIrc),
                cells(ircToMatrix), ircWhileBotAway, softKicksOwed, wrongInvites, exposureMillis / 1000.0, exposedMessages, kb(heapBeforeKb),
                kb(heapAfterKb), seconds);
    }

    private static String cells(MessageFigures f) {
        return f.sent() + " | " + f.delivered() + " | " + f.said() + " | " + f.lost() + " | " + f.crashWindow() + " | " + f.duplicated() + " | " + f.reordered();
    }

    private static String kb(long kb) {
        return kb < 0 ? "?" : String.format(Locale.ROOT, "%.1f MB", kb / 1024.0);
    }

    /**
     * For a failed case's message, so that a CI run shows why without its files: the row, then the start of
     * {@code unaccounted.txt} and {@code bot-presence.txt} and the end of each bridge log without its DEBUG lines.
     * Read once the case is closed (the logs are kept then).
     */
    String diagnosis() {
        StringBuilder out = new StringBuilder(row());
        try (var files = Files.list(logDir)) {
            for (Path f : files.sorted().toList()) {
                java.util.List<String> lines = Files.readAllLines(f).stream()
                        .filter(l -> !l.contains(" DEBUG ") && !l.startsWith("\tat ") && !l.startsWith("\t... ")).toList();
                boolean log = f.getFileName().toString().endsWith(".log");
                if (f.getFileName().toString().equals("members.txt")) {
                    continue;
                }
                java.util.List<String> shown = log ? lines.subList(Math.max(0, lines.size() - DIAGNOSIS_LINES), lines.size())
                        : lines.subList(0, Math.min(lines.size(), DIAGNOSIS_LINES));
                out.append("--- ").append(f.getFileName()).append(log ? " (end, no DEBUG)" : "").append('\n');
                shown.forEach(l -> out.append(l.length() > 300 ? l.substring(0, 300) + "…" : l).append('\n'));
            }
        } catch (IOException | RuntimeException e) {
            out.append("(no logs: ").append(e).append(")\n");
        }
        return out.toString();
    }

    /** Whether every loss and privacy column is zero (what {@code faults.strict}, on by default, asserts). */
    boolean clean() {
        return matrixToIrc.lost() == 0 && ircToMatrix.lost() == 0 && softKicksOwed == 0 && wrongInvites == 0 && exposureMillis == 0;
    }

    /** Adds the row to {@code target/faults/results.md} (with the header when the file is new) and to the test's output. */
    void append(Path projectDir) {
        Path file = projectDir.resolve("target/faults/results.md");
        try {
            Files.createDirectories(file.getParent());
            if (!Files.exists(file)) {
                Files.writeString(file, "Fault suite run of " + Instant.now() + "\n\n" + HEADER);
            }
            Files.writeString(file, row(), StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.err.print("[faults] " + HEADER + "[faults] " + row());
    }
}
