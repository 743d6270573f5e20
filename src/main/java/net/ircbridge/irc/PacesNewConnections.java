package net.ircbridge.irc;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.ToDoubleFunction;

/**
 * Spaces out new connections to each network: at most {@code connections-per-second} of them start in any second.
 * When a server restart drops 500 users at once, their reconnects are staggered over 100 seconds at 5 per second
 * instead of arriving together, which servers throttle, and some punish with a K-line.
 */
final class PacesNewConnections {

    private final ToDoubleFunction<String> ratePerNetwork;
    /** Per network, when the next connection may start (System.nanoTime). */
    private final Map<String, Long> nextSlot = new ConcurrentHashMap<>();

    PacesNewConnections(ToDoubleFunction<String> ratePerNetwork) {
        this.ratePerNetwork = ratePerNetwork;
    }

    /** Runs {@code start} at the network's next free slot: now if none was used in the last interval. */
    void whenAllowed(String network, Runnable start) {
        long delay = reserve(network, System.nanoTime());
        if (delay <= 0) {
            start.run();
        } else {
            CompletableFuture.delayedExecutor(delay, TimeUnit.NANOSECONDS).execute(start);
        }
    }

    /** Takes the network's next slot at or after {@code now}; returns how long until it, in nanoseconds. */
    long reserve(String network, long now) {
        double rate = ratePerNetwork.applyAsDouble(network);
        long interval = rate <= 0 ? 0 : (long) (1_000_000_000L / rate);
        long[] slot = new long[1];
        nextSlot.compute(network, (k, next) -> {
            slot[0] = next == null || next - now < 0 ? now : next;
            return slot[0] + interval;
        });
        return slot[0] - now;
    }
}
