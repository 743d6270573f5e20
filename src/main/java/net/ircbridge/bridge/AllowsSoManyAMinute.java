package net.ircbridge.bridge;

import java.util.function.LongSupplier;

/**
 * A token bucket: up to {@code perMinute} at once, then one more every {@code 60 / perMinute} seconds. Thread-safe;
 * the clock is a parameter so that tests need not wait.
 */
public final class AllowsSoManyAMinute {

    private final int capacity;
    private final double tokensPerNano;
    private final LongSupplier nanoClock;
    private double tokens;
    private long last;

    public AllowsSoManyAMinute(int perMinute) {
        this(perMinute, System::nanoTime);
    }

    public AllowsSoManyAMinute(int perMinute, LongSupplier nanoClock) {
        this.capacity = Math.max(0, perMinute);
        this.tokensPerNano = capacity / 60e9;
        this.nanoClock = nanoClock;
        this.tokens = capacity;
        this.last = nanoClock.getAsLong();
    }

    /** Takes one if there is one; false when the limit is reached for now. */
    public synchronized boolean tryTake() {
        long now = nanoClock.getAsLong();
        tokens = Math.min(capacity, tokens + (now - last) * tokensPerNano);
        last = now;
        if (tokens >= 1) {
            tokens -= 1;
            return true;
        }
        return false;
    }
}
