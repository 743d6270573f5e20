package net.ircbridge.matrix;

/**
 * What an event relates to ({@code m.relates_to}): a reply, an edit, a reaction. Each text is "" when the event
 * doesn't say it.
 *
 * @param relType      {@code m.replace}, {@code m.annotation}, {@code m.thread}, ...
 * @param eventId      the event related to
 * @param key          a reaction's key
 * @param inReplyTo    the event a reply answers ({@code m.in_reply_to.event_id})
 * @param fallingBack  whether the reply is only a thread's fallback ({@code is_falling_back})
 */
public record Relation(String relType, String eventId, String key, String inReplyTo, boolean fallingBack) {

    /** An event that relates to nothing. */
    public static final Relation NONE = new Relation("", "", "", "", false);

    /** Whether it is a reply (and not a thread's fallback for one). */
    public boolean isReply() {
        return !inReplyTo.isEmpty() && !fallingBack;
    }
}
