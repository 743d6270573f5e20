package net.ircbridge.bridge;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A log line that a stranger's flood of requests could repeat without end is said at most once a minute: the first
 * caller in each minute is told to say it, the others not. Thread-safe.
 */
public final class SaysAtMostOnceAMinute {

    private static final long MINUTE_NANOS = 60_000_000_000L;

    private final AtomicLong lastSaid = new AtomicLong(System.nanoTime() - MINUTE_NANOS);

    /** Whether the line is due now (and, if so, that it counts as said). */
    public boolean due() {
        long now = System.nanoTime();
        long last = lastSaid.get();
        return now - last >= MINUTE_NANOS && lastSaid.compareAndSet(last, now);
    }
}
