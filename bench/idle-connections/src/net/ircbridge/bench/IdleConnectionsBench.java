package net.ircbridge.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import net.engio.mbassy.listener.Handler;
import net.ircbridge.irc.IrcClientFactory;
import net.ircbridge.irc.IrcConnectionSpec;
import net.ircbridge.irc.SendRate;
import org.kitteh.irc.client.library.Client;
import org.kitteh.irc.client.library.event.client.ClientNegotiationCompleteEvent;
import org.kitteh.irc.client.library.event.connection.ClientConnectionEndedEvent;

/**
 * Idle IRC connections: threads, heap and resident memory per connection, in this (fresh) JVM.
 *
 * <pre>
 * java ... net.ircbridge.bench.IdleConnectionsBench MODE N HOST PORT [OUT_DIR]
 *   MODE  defaults | bridge | bridge-2threads (the factory, but KICL's two threads per connection kept)
 * System properties: bench.warmup (5 clients), bench.rate (connections/s, 200), bench.inflight (25),
 *   bench.settle (seconds idle before measuring, 15), bench.histo (true: write class histograms and
 *   /proc/self/smaps to OUT_DIR), bench.nmt (true: native memory tracking diff to OUT_DIR; needs
 *   -XX:NativeMemoryTracking=summary)
 * </pre>
 *
 * Procedure: connect {@code bench.warmup} clients (class loading, Netty's shared event loop, the factory's
 * scheduler thread: one-time costs), let them settle, GC, take the baseline; connect N more at a bounded rate, each
 * counted when registered (ClientNegotiationCompleteEvent, i.e. after 001-004 and CAP negotiation); wait
 * {@code bench.settle} seconds; GC three times; measure again. Per-connection figure = (after - baseline) / N.
 * Prints one line {@code RESULT mode=... n=... threads=... heapKB=... rssKB=...} for the run script.
 */
public final class IdleConnectionsBench {

    /** One listener object shared by all clients: it only counts. */
    public static final class Counter {
        final AtomicInteger registered = new AtomicInteger();
        final AtomicInteger ended = new AtomicInteger();
        final Semaphore inflight;

        Counter(int inflight) {
            this.inflight = new Semaphore(inflight);
        }

        @Handler
        public void registered(ClientNegotiationCompleteEvent event) {
            this.registered.incrementAndGet();
            this.inflight.release();
        }

        @Handler
        public void ended(ClientConnectionEndedEvent event) {
            this.ended.incrementAndGet();
            this.inflight.release();
        }
    }

    record Snapshot(int threads, long heapUsed, long rssKb, long heapCommitted, long rssTrimmedKb) {
    }

    private static final List<Client> CLIENTS = new ArrayList<>();

    public static void main(String[] args) throws Exception {
        if (args.length < 4) {
            System.err.println("usage: IdleConnectionsBench defaults|bridge N HOST PORT [OUT_DIR]");
            System.exit(2);
        }
        String mode = args[0];
        int n = Integer.parseInt(args[1]);
        String host = args[2];
        int port = Integer.parseInt(args[3]);
        Path out = Path.of(args.length > 4 ? args[4] : ".");
        int warmup = Integer.getInteger("bench.warmup", 5);
        int rate = Integer.getInteger("bench.rate", 200);
        int settle = Integer.getInteger("bench.settle", 15);
        boolean histo = Boolean.parseBoolean(System.getProperty("bench.histo", "false"));
        boolean nmt = Boolean.parseBoolean(System.getProperty("bench.nmt", "false"));
        Counter counter = new Counter(Integer.getInteger("bench.inflight", 25));

        IrcClientFactory factory = switch (mode) {
            case "defaults" -> null;
            case "bridge" -> new IrcClientFactory();
            // The factory with KICL's own two threads per connection kept (inputThreads = 0).
            case "bridge-2threads" -> new IrcClientFactory(SendRate.DEFAULT, null, 0);
            default -> throw new IllegalArgumentException("mode: " + mode);
        };

        connect(mode, factory, host, port, 0, warmup, rate, counter);
        TimeUnit.SECONDS.sleep(3);
        Snapshot base = measure();
        if (histo) {
            jcmd("GC.class_histogram", out.resolve("histo-" + mode + "-" + n + "-base.txt"));
            Files.copy(Path.of("/proc/self/smaps"), out.resolve("smaps-" + mode + "-" + n + "-base.txt"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        if (nmt) {
            jcmd("VM.native_memory baseline", out.resolve("nmt-" + mode + "-" + n + "-base.txt"));
        }
        Map<String, Integer> threadsBefore = threadGroups();

        long t0 = System.nanoTime();
        connect(mode, factory, host, port, warmup, n, rate, counter);
        double connectSeconds = (System.nanoTime() - t0) / 1e9;
        TimeUnit.SECONDS.sleep(settle);
        Snapshot after = measure();
        if (histo) {
            jcmd("GC.class_histogram", out.resolve("histo-" + mode + "-" + n + "-after.txt"));
            Files.copy(Path.of("/proc/self/smaps"), out.resolve("smaps-" + mode + "-" + n + "-after.txt"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        if (nmt) {
            jcmd("VM.native_memory summary.diff", out.resolve("nmt-" + mode + "-" + n + "-diff.txt"));
        }
        Map<String, Integer> threadsAfter = threadGroups();

        int alive = 0;
        for (Client c : CLIENTS) {
            if (c instanceof Client.WithManagement m && m.isConnectionAlive()) {
                alive++;
            }
        }
        StringBuilder groups = new StringBuilder();
        for (Map.Entry<String, Integer> e : threadsAfter.entrySet()) {
            int d = e.getValue() - threadsBefore.getOrDefault(e.getKey(), 0);
            if (d != 0) {
                groups.append(groups.length() == 0 ? "" : ", ").append(e.getKey()).append('=').append(d);
            }
        }
        System.out.printf("baseline: threads=%d heapUsed=%dKB rss=%dKB rssAfterTrim=%dKB heapCommitted=%dKB%n",
                base.threads(), base.heapUsed() / 1024, base.rssKb(), base.rssTrimmedKb(), base.heapCommitted() / 1024);
        System.out.printf("after:    threads=%d heapUsed=%dKB rss=%dKB rssAfterTrim=%dKB heapCommitted=%dKB%n",
                after.threads(), after.heapUsed() / 1024, after.rssKb(), after.rssTrimmedKb(), after.heapCommitted() / 1024);
        System.out.printf("new threads by name: %s%n", groups);
        System.out.printf(java.util.Locale.ROOT,
                "RESULT mode=%s n=%d registered=%d alive=%d ended=%d connectSeconds=%.1f threads=%.2f heapKB=%.1f rssKB=%.1f rssTrimmedKB=%.1f%n",
                mode, n, counter.registered.get() - warmup, alive - warmup, counter.ended.get(), connectSeconds,
                (after.threads() - base.threads()) / (double) n,
                (after.heapUsed() - base.heapUsed()) / 1024.0 / n,
                (after.rssKb() - base.rssKb()) / (double) n,
                (after.rssTrimmedKb() - base.rssTrimmedKb()) / (double) n);
        System.out.flush();
        Runtime.getRuntime().halt(0);
    }

    private static void connect(String mode, IrcClientFactory factory, String host, int port, int from, int count,
                                int rate, Counter counter) throws InterruptedException {
        long intervalNanos = 1_000_000_000L / Math.max(1, rate);
        long next = System.nanoTime();
        int target = from + count;
        for (int i = from; i < target; i++) {
            counter.inflight.acquire();
            long now = System.nanoTime();
            if (next > now) {
                TimeUnit.NANOSECONDS.sleep(next - now);
            }
            next = Math.max(next, now) + intervalNanos;
            String nick = mode.charAt(0) + Integer.toString(mode.length()) + "x" + i;
            Client client;
            if (factory != null) {
                client = factory.connect(IrcConnectionSpec.of(nick, host, port, false, nick, "bench", "bench " + i), counter);
            } else {
                client = Client.builder().name(nick)
                        .server().host(host).port(port, Client.Builder.Server.SecurityType.INSECURE).then()
                        .nick(nick).user("bench").realName("bench " + i)
                        .build();
                client.getEventManager().registerEventListener(counter);
                client.connect();
            }
            CLIENTS.add(client);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (counter.registered.get() < target && System.nanoTime() < deadline) {
            TimeUnit.MILLISECONDS.sleep(50);
        }
        if (counter.registered.get() < target) {
            System.err.printf("only %d of %d clients registered (%d connections ended)%n",
                    counter.registered.get(), target, counter.ended.get());
        }
    }

    private static Snapshot measure() throws InterruptedException, IOException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            TimeUnit.MILLISECONDS.sleep(300);
        }
        var heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        int threads = ManagementFactory.getThreadMXBean().getThreadCount();
        long rss = rssKb();
        // glibc keeps freed malloc memory resident (e.g. after JIT compilations); trimming shows what is live.
        jcmd("System.trim_native_heap", null);
        return new Snapshot(threads, heap.getUsed(), rss, heap.getCommitted(), rssKb());
    }

    private static long rssKb() throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
            if (line.startsWith("VmRSS:")) {
                return Long.parseLong(line.replaceAll("[^0-9]", ""));
            }
        }
        throw new IOException("no VmRSS");
    }

    /** Live threads grouped by name with digits and the part in parentheses removed. */
    private static Map<String, Integer> threadGroups() {
        ThreadMXBean mx = ManagementFactory.getThreadMXBean();
        Map<String, Integer> groups = new TreeMap<>();
        for (ThreadInfo info : mx.getThreadInfo(mx.getAllThreadIds())) {
            if (info == null) {
                continue;
            }
            String name = info.getThreadName().replaceAll("\\(.*\\)", "(...)").replaceAll("[0-9]+", "#");
            groups.merge(name, 1, Integer::sum);
        }
        return groups;
    }

    private static void jcmd(String command, Path file) {
        try {
            long pid = ProcessHandle.current().pid();
            ProcessBuilder pb = new ProcessBuilder("jcmd", Long.toString(pid), command).redirectErrorStream(true);
            pb.redirectOutput(file == null ? ProcessBuilder.Redirect.DISCARD : ProcessBuilder.Redirect.to(file.toFile()));
            pb.start().waitFor(120, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            System.err.println("jcmd " + command + " failed: " + e);
        }
    }
}
