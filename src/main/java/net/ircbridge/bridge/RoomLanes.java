package net.ircbridge.bridge;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * One ordered lane per room: work submitted for a room starts only when the room's previous work has finished,
 * so Matrix sees a room's events in the order they were produced. Lanes of different rooms run concurrently on a
 * small shared pool; the work itself is asynchronous, so a slow homeserver holds up one room, not the pool.
 */
@ApplicationScoped
public class RoomLanes {

    private static final Logger LOG = Logger.getLogger(RoomLanes.class);

    private final ConcurrentHashMap<String, CompletableFuture<?>> tails = new ConcurrentHashMap<>();
    /** The work queued last on each busy lane, so that a caller can add to its own queued work (see isLast). */
    private final ConcurrentHashMap<String, Object> lastWork = new ConcurrentHashMap<>();
    private final ExecutorService pool;

    public RoomLanes() {
        AtomicInteger n = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(Math.max(2, Runtime.getRuntime().availableProcessors()), r -> {
            Thread t = new Thread(r, "room-lane-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    /**
     * Queues work on a room's lane.
     *
     * @return completes with the work's result once it has run; a failure of the work fails this stage but never
     *         stops the lane
     */
    public <T> CompletableFuture<T> submit(String roomId, Supplier<? extends CompletionStage<T>> work) {
        String key = roomId == null ? "" : roomId;
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
     * Whether {@code work} is the last work queued on the room's lane (nothing was queued after it) and has not
     * finished. Lets a caller whose queued work has not started yet give it more to do instead of queueing more,
     * in the same order.
     */
    public boolean isLast(String roomId, Object work) {
        return lastWork.get(roomId == null ? "" : roomId) == work;
    }

    private <T> CompletionStage<T> run(Supplier<? extends CompletionStage<T>> work) {
        try {
            return work.get();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @PreDestroy
    void stop() {
        pool.shutdown();
        LOG.debugf("Room lanes stopped with %d busy", tails.size());
    }
}
