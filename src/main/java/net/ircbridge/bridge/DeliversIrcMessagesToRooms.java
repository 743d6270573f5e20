package net.ircbridge.bridge;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import net.ircbridge.config.RelayConfig;
import net.ircbridge.store.PortalRoomStore.PortalRoom;
import org.jboss.logging.Logger;

/**
 * The one way what is said on a channel (messages, notices, actions, topic changes) reaches its room: on the room's
 * lane, after the membership changes IRC made before it, so Matrix sees the conversation in IRC's order. Kept as
 * one place so that a rule about when a room may hear its channel applies to everything said there.
 *
 * <p>Bounded: at most {@code relay.max-queued-irc-lines} lines wait for one room (held or on its lane). A line past
 * it is dropped and counted; once the room has caught up (nothing waits any more) the bot says how many were
 * dropped ({@code texts.irc-lines-dropped}), so that the gap is visible, not silent.
 */
@ApplicationScoped
public class DeliversIrcMessagesToRooms {

    private static final Logger LOG = Logger.getLogger(DeliversIrcMessagesToRooms.class);

    private final HoldsIrcMessagesForAbsentUsers holds;
    private final PostsNoticesInRooms notices;
    private final Texts texts;
    private final int maxQueued;
    /** Per room: lines waiting, and lines dropped since the room last caught up; guarded by its own monitor. */
    private final Map<String, Queue> queues = new ConcurrentHashMap<>();

    private static final class Queue {
        int waiting;
        int dropped;
    }

    /** Why a line did not reach its room: too many were waiting for it. */
    public static final class RoomBehind extends RuntimeException {
        RoomBehind(String roomId) {
            super("too many lines from IRC waiting for " + roomId, null, false, false);
        }
    }

    public DeliversIrcMessagesToRooms(HoldsIrcMessagesForAbsentUsers holds, PostsNoticesInRooms notices, Texts texts,
            RelayConfig relay) {
        this.holds = holds;
        this.notices = notices;
        this.texts = texts;
        this.maxQueued = relay.maxQueuedIrcLines();
    }

    /**
     * Delivers to a room: {@code send} runs on the room's lane, once no Matrix user joined to the room is waiting to
     * get on the channel (see {@link HoldsIrcMessagesForAbsentUsers}).
     *
     * @return completes once {@code send}'s work has; fails with {@link RoomBehind} at once when the line was dropped
     */
    public <T> CompletableFuture<T> deliver(PortalRoom room, Supplier<? extends CompletionStage<T>> send) {
        Queue queue = queues.computeIfAbsent(room.roomId(), k -> new Queue());
        synchronized (queue) {
            if (queue.waiting >= maxQueued) {
                if (queue.dropped++ == 0) {
                    LOG.warnf("%d lines from %s on %s wait for %s already: dropping lines until it has caught up "
                            + "(relay.max-queued-irc-lines)", queue.waiting, room.channel(), room.network(), room.roomId());
                }
                return CompletableFuture.failedFuture(new RoomBehind(room.roomId()));
            }
            queue.waiting++;
        }
        CompletableFuture<T> delivered = holds.deliver(room, send);
        delivered.whenComplete((value, failure) -> done(room, queue));
        return delivered;
    }

    private void done(PortalRoom room, Queue queue) {
        int dropped;
        synchronized (queue) {
            queue.waiting--;
            if (queue.waiting > 0 || queue.dropped == 0) {
                return;
            }
            dropped = queue.dropped;
            queue.dropped = 0;
        }
        LOG.warnf("Dropped %d lines from %s on %s that came faster than %s could take them", dropped, room.channel(),
                room.network(), room.roomId());
        String notice = Texts.fill(texts.templates().ircLinesDropped(), "count", String.valueOf(dropped), "channel", room.channel());
        notices.post(room.roomId(), notice, "that lines were dropped");
    }
}
