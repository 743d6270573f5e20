package net.ircbridge.matrix;

import java.util.concurrent.CompletionStage;

/** What the bridge does with the room events the homeserver pushes; implemented by the bridge's core. */
public interface ReceivesMatrixEvents {

    /**
     * Takes one event. Called in the order the homeserver sent the events; the returned stage completes once
     * the event has been dealt with (successfully or not), which lets the inbox forget it.
     */
    CompletionStage<?> receive(MatrixEvent event);
}
