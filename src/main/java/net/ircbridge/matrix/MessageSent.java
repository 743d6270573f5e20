package net.ircbridge.matrix;

/**
 * A message ({@code m.room.message}) or a sticker ({@code m.sticker}) was sent to a room.
 *
 * @param message     what it says
 * @param relation    what it relates to, {@link Relation#NONE} when nothing
 * @param replacement an edit's corrected content ({@code m.new_content}), null when it has none
 */
public record MessageSent(Envelope envelope, MessageBody message, Relation relation, MessageBody replacement)
        implements MatrixEvent {

    /** Whether it is a sticker. */
    public boolean isSticker() {
        return "m.sticker".equals(type());
    }

    /** Whether it edits an earlier message (and says what the message is now). */
    public boolean isEdit() {
        return "m.replace".equals(relation.relType()) && replacement != null;
    }
}
