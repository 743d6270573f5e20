package net.ircbridge.matrix;

/**
 * An event was redacted ({@code m.room.redaction}).
 *
 * @param redacts the event redacted, null when not said
 * @param reason  why, "" when not said
 */
public record Redacted(Envelope envelope, String redacts, String reason) implements MatrixEvent {
}
