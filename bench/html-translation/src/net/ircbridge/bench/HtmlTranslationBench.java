package net.ircbridge.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.IntFunction;
import net.ircbridge.bridge.formatting.BaselineTranslatesHtmlToIrcFormatting;
import net.ircbridge.bridge.formatting.TranslatesHtmlToIrcFormatting;

/**
 * How long the HTML-to-IRC translation takes for hostile bodies (issue 11, finding 1): the bridge's translator at
 * 64 KB (with the output cap the bridge uses at the default relay.max-lines, and without a cap), and the translator
 * as it was before ({@code BaselineTranslatesHtmlToIrcFormatting}, extracted from git by run.sh) at growing sizes,
 * stopped once one run takes longer than the limit. Times are the thread's CPU time, so a busy machine inflates them
 * little. Prints a markdown report.
 *
 * <p>Arguments: the baseline's commit (for the report), the limit in ms for the baseline's runs.
 */
public final class HtmlTranslationBench {

    private static final int SIZE = 64 * 1024;
    /** What the bridge passes with relay.max-lines at its default, 3: (3 + 1) × 512. */
    private static final int BRIDGE_CAP = 2048;
    private static final int RUNS = 21;
    private static final BiFunction<String, String, String> NICK = (userId, text) -> text;
    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    /** A run of the old translator that ended in a StackOverflowError. */
    private static final long STACK_OVERFLOW = -1;

    private record Shape(String name, IntFunction<String> body) {
    }

    /** {@code unit} repeated to {@code size} characters. */
    private static String repeat(String unit, int size) {
        return unit.repeat(size / unit.length() + 1).substring(0, size);
    }

    private static final List<Shape> SHAPES = List.of(
            // The finding's body: 2,000 nested lists and 1,600 items in 24 KB, scaled.
            new Shape("nested lists (the finding's)", n -> repeat("<ul>", n / 3) + repeat("<li>x</li>", n - n / 3)),
            new Shape("nested quotes with text", n -> repeat("<blockquote>q", n)),
            new Shape("unclosed formatting", n -> repeat("<b><i><u><s><font color=\"#f00\">", n)),
            new Shape("mismatched closing tags", n -> repeat("<b>", n / 2) + repeat("</i>", n - n / 2)),
            new Shape("unterminated tags (<a b<a b…)", n -> repeat("<a b", n)),
            new Shape("attribute flood, no >", n -> "<a" + repeat(" b", n - 2)),
            new Shape("unclosed quotes", n -> repeat("<a x=\"<a x='", n)),
            new Shape("entity flood", n -> repeat("&amp;&#65;&#x42;&bogus;&", n)),
            new Shape("nested links", n -> repeat("<a href=\"https://example.org/\">x", n)),
            new Shape("ordinary message", n -> repeat("<p>Hello <b>world</b>, see <a href=\"https://example.org/docs\">the docs</a>"
                    + " &amp; <code>x &lt; y</code></p><ul><li>one</li><li><em>two</em></li></ul><blockquote>quoted</blockquote>", n)));

    private static long cpuNanos(Runnable work) {
        long started = THREADS.getCurrentThreadCpuTime();
        work.run();
        return THREADS.getCurrentThreadCpuTime() - started;
    }

    private static String ms(double nanos) {
        double ms = nanos / 1e6;
        return ms < 10 ? String.format("%.2f", ms) : String.format("%.0f", ms);
    }

    public static void main(String[] args) {
        String baselineCommit = args.length > 0 ? args[0] : "?";
        long limitMillis = args.length > 1 ? Long.parseLong(args[1]) : 2000;
        StringBuilder report = new StringBuilder();

        report.append("### The translator now, 64 KB bodies\n\n");
        report.append("CPU time of one translation, median and worst of ").append(RUNS).append(" runs after a warm-up; ")
                .append("\"capped\" with the output cap the bridge uses at relay.max-lines 3 (").append(BRIDGE_CAP)
                .append(" characters), \"uncapped\" with none.\n\n");
        report.append("| body (64 KB) | capped: median ms | capped: worst ms | output chars | cut | uncapped: median ms | uncapped: worst ms | output chars |\n");
        report.append("|---|---|---|---|---|---|---|---|\n");
        for (Shape shape : SHAPES) {
            String html = shape.body().apply(SIZE);
            long[] capped = measure(() -> TranslatesHtmlToIrcFormatting.translate(html, NICK, BRIDGE_CAP));
            long[] uncapped = measure(() -> TranslatesHtmlToIrcFormatting.translate(html, NICK, Integer.MAX_VALUE));
            TranslatesHtmlToIrcFormatting.Translated c = TranslatesHtmlToIrcFormatting.translate(html, NICK, BRIDGE_CAP);
            TranslatesHtmlToIrcFormatting.Translated u = TranslatesHtmlToIrcFormatting.translate(html, NICK, Integer.MAX_VALUE);
            report.append(String.format("| %s | %s | %s | %d | %s | %s | %s | %d |%n", shape.name(), ms(capped[RUNS / 2]),
                    ms(capped[RUNS - 1]), c.text().length(), c.cut() ? "yes" : "no", ms(uncapped[RUNS / 2]), ms(uncapped[RUNS - 1]),
                    u.text().length()));
            System.err.println("now: " + shape.name() + " done");
        }

        report.append("\n### Growth: before (").append(baselineCommit).append(") and now, uncapped, by body size\n\n");
        report.append("CPU ms of one run (before: a single run per size, stopped after the first size that took over ")
                .append(limitMillis).append(" ms; now: median of ").append(RUNS).append(").\n\n");
        int[] sizes = {1024, 2048, 4096, 8192, 16384, 32768, 65536};
        report.append("| body | ");
        for (int size : sizes) {
            report.append(size / 1024).append(" KB | ");
        }
        report.append("before: growth per doubling (last two) |\n|---|");
        report.append("---|".repeat(sizes.length + 1)).append('\n');
        BaselineTranslatesHtmlToIrcFormatting.translate(SHAPES.get(9).body().apply(4096), NICK); // warm-up
        for (Shape shape : SHAPES) {
            Map<Integer, Long> before = new LinkedHashMap<>();
            for (int size : sizes) {
                String html = shape.body().apply(size);
                long nanos;
                try {
                    nanos = cpuNanos(() -> BaselineTranslatesHtmlToIrcFormatting.translate(html, NICK));
                } catch (StackOverflowError e) {
                    // The old TAG pattern recurses once per attribute: a long run of them overflows the stack.
                    before.put(size, STACK_OVERFLOW);
                    System.err.printf("before: %s at %d KB: StackOverflowError%n", shape.name(), size / 1024);
                    break;
                }
                before.put(size, nanos);
                System.err.printf("before: %s at %d KB: %s ms%n", shape.name(), size / 1024, ms(nanos));
                if (nanos / 1_000_000 > limitMillis) {
                    break;
                }
            }
            StringBuilder beforeRow = new StringBuilder("| " + shape.name() + ", before | ");
            StringBuilder nowRow = new StringBuilder("| " + shape.name() + ", now | ");
            for (int size : sizes) {
                Long b = before.get(size);
                beforeRow.append(b == null ? "not run" : b == STACK_OVERFLOW ? "**StackOverflowError**" : ms(b)).append(" | ");
                String html = shape.body().apply(size);
                nowRow.append(ms(measure(() -> TranslatesHtmlToIrcFormatting.translate(html, NICK, Integer.MAX_VALUE))[RUNS / 2])).append(" | ");
            }
            List<Long> times = new ArrayList<>(before.values());
            String growth = times.size() >= 2 && !times.contains(STACK_OVERFLOW) && times.get(times.size() - 2) > 0
                    ? String.format("×%.1f", (double) times.get(times.size() - 1) / times.get(times.size() - 2)) : "–";
            report.append(beforeRow).append(growth).append(" |\n").append(nowRow).append(" |\n");
        }
        System.out.print(report);
    }

    /** Sorted CPU times of {@link #RUNS} runs after five warm-up runs. */
    private static long[] measure(Runnable work) {
        for (int i = 0; i < 5; i++) {
            work.run();
        }
        long[] times = new long[RUNS];
        for (int i = 0; i < RUNS; i++) {
            times[i] = cpuNanos(work);
        }
        Arrays.sort(times);
        return times;
    }
}
