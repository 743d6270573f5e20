package net.ircbridge.bridge;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import net.ircbridge.store.PortalRoomStore.PortalRoom;

/**
 * The one way what is said on a channel (messages, notices, actions, topic changes) reaches its room: on the room's
 * lane, after the membership changes IRC made before it, so Matrix sees the conversation in IRC's order; and held,
 * in order, while a Matrix user joined to the room is not on the channel yet ({@link HoldsIrcMessagesForAbsentUsers}),
 * so the room never hears its channel behind the back of someone the channel cannot see.
 */
@ApplicationScoped
public class DeliversIrcMessagesToRooms {

    private final HoldsIrcMessagesForAbsentUsers holds;

    public DeliversIrcMessagesToRooms(HoldsIrcMessagesForAbsentUsers holds) {
        this.holds = holds;
    }

    /**
     * Delivers to a room: {@code send} runs on the room's lane, once nobody joined to the room is absent from the
     * channel.
     *
     * @return completes once {@code send}'s work has (which may be a while, for a held message)
     */
    public <T> CompletableFuture<T> deliver(PortalRoom room, Supplier<? extends CompletionStage<T>> send) {
        CompletableFuture<T> done = new CompletableFuture<>();
        holds.deliver(room, () -> {
            CompletionStage<T> work;
            try {
                work = send.get();
            } catch (RuntimeException e) {
                work = CompletableFuture.failedFuture(e);
            }
            return work.whenComplete((value, failure) -> {
                if (failure != null) {
                    done.completeExceptionally(failure);
                } else {
                    done.complete(value);
                }
            });
        });
        return done;
    }
}
