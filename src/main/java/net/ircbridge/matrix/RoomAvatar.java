package net.ircbridge.matrix;

/** An {@code m.room.avatar} content; a null URL makes an empty content (no avatar). */
public record RoomAvatar(String url) implements StateContent {

    @Override
    public String eventType() {
        return "m.room.avatar";
    }
}
