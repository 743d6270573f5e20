package net.ircbridge.bridge;

import net.ircbridge.store.PortalRoomStore.PortalRoom;

import java.util.Optional;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import net.ircbridge.matrix.MatrixEvent;

/**
 * One behaviour of the bridge that reacts to Matrix room events. Called on the event's room lane, so a room's
 * events reach it in order; it returns when its work for the event is done.
 *
 * <p>Work that must not hold up the room (a message waiting for its sender's token bucket or connection) is
 * returned as {@link #later}: the room's lane goes on, and the event counts as done (marked processed, so not
 * handed on again after a crash) only once that effect is done too.
 */
public interface HandlesMatrixEvent {

    /**
     * Reacts to the event, or returns a completed stage if the event is not its concern.
     *
     * @param portal the event's room as a bridged room, found once for all behaviours by the router (from memory),
     *        as it was when the room's lane came to the event; empty when the room is not a portal
     */
    CompletionStage<?> handle(MatrixEvent event, Optional<PortalRoom> portal);

    /**
     * What a handler's stage completes with when the event has its effect after the lane may go on.
     *
     * @param effect completes once the effect happened or its failure was said in Matrix; fails with a
     *        {@link java.util.concurrent.RejectedExecutionException} when the bridge stops first, which leaves the
     *        event to be handled again at the next start
     */
    record Later(CompletionStage<?> effect) {
    }

    /**
     * A stage that is complete already: what a handler returns when the event is not its concern, or when it has done
     * its part by the time it returns (work it only started, such as connecting a user, is then not waited for). The
     * lane goes on at once, and the event counts as done.
     */
    static CompletionStage<?> done() {
        return CompletableFuture.completedFuture(null);
    }

    /** The lane may go on now; the event is done once {@code effect} is. */
    static CompletionStage<Later> later(CompletionStage<?> effect) {
        return CompletableFuture.completedFuture(new Later(effect));
    }
}
