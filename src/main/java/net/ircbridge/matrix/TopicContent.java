package net.ircbridge.matrix;

/** An {@code m.room.topic} content; a null topic makes an empty content (no topic). */
public record TopicContent(String topic) implements StateContent {

    @Override
    public String eventType() {
        return "m.room.topic";
    }
}
