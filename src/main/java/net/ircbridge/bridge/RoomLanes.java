package net.ircbridge.bridge;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * One ordered lane per room: work submitted for a room starts only when the room's previous work has finished,
 * so Matrix sees a room's events in the order they were produced. Lanes of different rooms run concurrently on a
 * small shared pool; the work itself is asynchronous, so a slow homeserver holds up one room, not the pool.
 * Only rooms have lanes here: what is ordered per user has {@link UserLanes}.
 */
@ApplicationScoped
public class RoomLanes {

    private static final Logger LOG = Logger.getLogger(RoomLanes.class);

    private final ExecutorService pool = OrderedLanes.pool("room-lane");
    private final OrderedLanes<String> lanes = new OrderedLanes<>(pool);

    /**
     * Queues work on a room's lane.
     *
     * @return completes with the work's result once it has run; a failure of the work fails this stage but never
     *         stops the lane
     */
    public <T> CompletableFuture<T> submit(String roomId, Supplier<? extends CompletionStage<T>> work) {
        return lanes.submit(keyOf(roomId), work);
    }

    /**
     * Whether {@code work} is the last work queued on the room's lane (nothing was queued after it) and has not
     * finished. Lets a caller whose queued work has not started yet give it more to do instead of queueing more,
     * in the same order.
     */
    public boolean isLast(String roomId, Object work) {
        return lanes.isLast(keyOf(roomId), work);
    }

    /** Work for no room (a room id not known yet) shares one lane. */
    private static String keyOf(String roomId) {
        return roomId == null ? "" : roomId;
    }

    @PreDestroy
    void stop() {
        pool.shutdown();
        LOG.debugf("Room lanes stopped with %d busy", lanes.busy());
    }
}
