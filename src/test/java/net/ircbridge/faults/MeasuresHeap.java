package net.ircbridge.faults;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The bridge's used heap after a full GC, asked of its JVM with {@code jcmd} (the JDK's own, next to {@code java}). */
final class MeasuresHeap {

    private static final Pattern USED = Pattern.compile("used (\\d+)K");

    private MeasuresHeap() {
    }

    /** Used heap in KB, or -1 when jcmd cannot tell (the process is gone, or jcmd is missing). */
    static long usedKb(long pid) {
        jcmd(pid, "GC.run");
        Matcher m = USED.matcher(jcmd(pid, "GC.heap_info"));
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    private static String jcmd(long pid, String command) {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        try {
            Process p = new ProcessBuilder(jcmd, String.valueOf(pid), command).redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
            return out;
        } catch (Exception e) {
            return "";
        }
    }
}
