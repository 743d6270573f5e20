package net.ircbridge.matrix;

/**
 * A room event pushed by the homeserver (or read from it), typed by what happened. What every event has is in its
 * {@link Envelope}; what the bridge reads of its content is in the record of its kind. Events are made from the
 * homeserver's JSON by this layer alone, defensively: a field of the wrong type or a missing one reads as absent,
 * never as a failure (a federated event may carry anything).
 */
public sealed interface MatrixEvent
        permits MemberChanged, MessageSent, Reacted, TopicChanged, PowerLevelsChanged, JoinRulesChanged, Redacted, OtherEvent {

    /**
     * The fields every event has; each is null when the event lacks it.
     *
     * @param originServerTs when the sender's server says it was sent (ms since the epoch), 0 when unknown
     */
    record Envelope(String type, String roomId, String sender, String eventId, String stateKey, long originServerTs) {
    }

    Envelope envelope();

    default String type() {
        return envelope().type();
    }

    default String roomId() {
        return envelope().roomId();
    }

    default String sender() {
        return envelope().sender();
    }

    default String eventId() {
        return envelope().eventId();
    }

    /** The state key, or null for a message event. */
    default String stateKey() {
        return envelope().stateKey();
    }
}
