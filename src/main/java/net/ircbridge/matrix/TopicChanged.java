package net.ircbridge.matrix;

/** A room's topic was set ({@code m.room.topic}); the topic is "" when the content has none. */
public record TopicChanged(Envelope envelope, String topic) implements MatrixEvent {
}
