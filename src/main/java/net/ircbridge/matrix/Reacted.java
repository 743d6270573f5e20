package net.ircbridge.matrix;

/** Someone reacted to a message ({@code m.reaction}); the relation has the message and the reaction's key. */
public record Reacted(Envelope envelope, Relation relation) implements MatrixEvent {
}
