package net.ircbridge.matrix;

import java.util.Optional;

/**
 * A rule the transaction inbox applies to every event before it writes the event to the store: whoever knows which
 * events carry secrets (the bridge's commands, which this layer knows nothing of) says what of them may be kept on
 * disk. The inbox still hands the event on as it came, from memory; only the stored copy, the one processed again
 * after a crash, is the scrubbed one, so the rule's owner must expect that copy then.
 */
public interface RemovesSecretsBeforeStoring {

    /**
     * The content the event may be stored with in place of its own (its {@code unsigned} part goes too), or empty
     * when it carries nothing secret. Called on the homeserver's request thread for every event: it must be quick and
     * look at nothing but the event.
     */
    Optional<MessageContent> contentToStore(MatrixEvent event);
}
