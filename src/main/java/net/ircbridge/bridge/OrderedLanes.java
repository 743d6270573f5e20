package net.ircbridge.bridge;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * Ordered lanes, one per key: work submitted for a key starts only when the key's previous work has finished.
 * Lanes of different keys run concurrently on a small pool (see {@link #pool}); the work itself is asynchronous, so
 * a slow lane holds up its key, not the pool. What a key is (a room, a user on a network) is the owner's, as is the
 * pool: see {@link RoomLanes} and {@link UserLanes}.
 *
 * @param <K> the key of a lane; compared with {@code equals}, so a record
 */
public final class OrderedLanes<K> {

    private final ConcurrentHashMap<K, CompletableFuture<?>> tails = new ConcurrentHashMap<>();
    /** The work queued last on each busy lane, so that a caller can add to its own queued work (see isLast). */
    private final ConcurrentHashMap<K, Object> lastWork = new ConcurrentHashMap<>();
    private final ExecutorService pool;

    /** @param pool where the lanes' work is started; shut down by its owner */
    public OrderedLanes(ExecutorService pool) {
        this.pool = pool;
    }

    /**
     * A pool for lanes: as many daemon threads as processors, at least two.
     *
     * @param threadName the name of the pool's threads, numbered after it
     */
    public static ExecutorService pool(String threadName) {
        AtomicInteger n = new AtomicInteger();
        return Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()), r -> {
            Thread t = new Thread(r, threadName + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Queues work on a key's lane.
     *
     * @return completes with the work's result once it has run; a failure of the work fails this stage but never
     *         stops the lane
     */
    public <T> CompletableFuture<T> submit(K key, Supplier<? extends CompletionStage<T>> work) {
        CompletableFuture<T> result = new CompletableFuture<>();
        CompletableFuture<?> tail = tails.compute(key, (k, previous) -> {
            lastWork.put(k, work);
            return (previous == null ? CompletableFuture.completedFuture(null) : previous)
                .handle((ignored, failure) -> null)
                .thenComposeAsync(ignored -> run(work), pool)
                .handle((value, failure) -> {
                    if (failure != null) {
                        result.completeExceptionally(failure);
                    } else {
                        result.complete(value);
                    }
                    return null;
                });
        });
        // Registered outside compute: a finished tail would otherwise remove itself while the map is updating.
        tail.whenComplete((ignored, failure) -> {
            tails.remove(key, tail);
            lastWork.remove(key, work);
        });
        return result;
    }

    /**
     * Whether {@code work} is the last work queued on the key's lane (nothing was queued after it) and has not
     * finished. Lets a caller whose queued work has not started yet give it more to do instead of queueing more,
     * in the same order.
     */
    public boolean isLast(K key, Object work) {
        return lastWork.get(key) == work;
    }

    private static <T> CompletionStage<T> run(Supplier<? extends CompletionStage<T>> work) {
        try {
            return work.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** How many lanes have work queued or running. */
    public int busy() {
        return tails.size();
    }
}
