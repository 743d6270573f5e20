package net.ircbridge.matrix;

/** An {@code m.room.name} content; a null name makes an empty content (no name). */
public record RoomName(String name) implements StateContent {

    @Override
    public String eventType() {
        return "m.room.name";
    }
}
