package net.ircbridge.matrix;

/** An {@code m.room.history_visibility} content: {@code joined}, {@code world_readable}, ... */
public record HistoryVisibility(String visibility) implements StateContent {

    @Override
    public String eventType() {
        return "m.room.history_visibility";
    }
}
