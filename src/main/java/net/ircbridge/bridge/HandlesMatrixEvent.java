package net.ircbridge.bridge;

import java.util.concurrent.CompletionStage;
import net.ircbridge.matrix.MatrixEvent;

/**
 * One behaviour of the bridge that reacts to Matrix room events. Called on the event's room lane, so a room's
 * events reach it in order; it returns when its work for the event is done.
 */
public interface HandlesMatrixEvent {

    /** Reacts to the event, or returns a completed stage if the event is not its concern. */
    CompletionStage<?> handle(MatrixEvent event);
}
