package net.ircbridge.bridge;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;
import net.ircbridge.store.PortalRoomStore.PortalRoom;

/**
 * The one way what is said on a channel (messages, notices, actions, topic changes) reaches its room: on the room's
 * lane, after the membership changes IRC made before it, so Matrix sees the conversation in IRC's order. Kept as
 * one place so that a rule about when a room may hear its channel applies to everything said there.
 */
@ApplicationScoped
public class DeliversIrcMessagesToRooms {

    private final HoldsIrcMessagesForAbsentUsers holds;

    public DeliversIrcMessagesToRooms(HoldsIrcMessagesForAbsentUsers holds) {
        this.holds = holds;
    }

    /**
     * Delivers to a room: {@code send} runs on the room's lane, once no Matrix user joined to the room is waiting to
     * get on the channel (see {@link HoldsIrcMessagesForAbsentUsers}).
     *
     * @return completes once {@code send}'s work has
     */
    public <T> CompletableFuture<T> deliver(PortalRoom room, Supplier<? extends CompletionStage<T>> send) {
        return holds.deliver(room, send);
    }
}
