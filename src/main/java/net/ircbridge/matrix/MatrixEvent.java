package net.ircbridge.matrix;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;

/**
 * A room event pushed by the homeserver, as the bridge sees it. The typed accessors cover what the bridge reads;
 * the whole event stays available as JSON.
 */
public record MatrixEvent(JsonNode json) {

    public String type() {
        return text("type");
    }

    public String roomId() {
        return text("room_id");
    }

    public String sender() {
        return text("sender");
    }

    public String eventId() {
        return text("event_id");
    }

    /** The state key, or null for a message event. */
    public String stateKey() {
        return text("state_key");
    }

    public JsonNode content() {
        JsonNode content = json.get("content");
        return content == null ? MissingNode.getInstance() : content;
    }

    /** For an {@code m.room.member} event: the membership it sets. */
    public String membership() {
        return content().path("membership").asText(null);
    }

    /** For a state event: the content it replaced ({@code unsigned.prev_content}), missing when there was none. */
    public JsonNode previousContent() {
        return json.path("unsigned").path("prev_content");
    }

    /** For an {@code m.room.member} event: the membership it replaced, empty when there was none. */
    public String previousMembership() {
        return previousContent().path("membership").asText("");
    }

    public boolean isMembership() {
        return "m.room.member".equals(type()) && stateKey() != null;
    }

    private String text(String field) {
        JsonNode node = json.get(field);
        return node == null || node.isNull() ? null : node.asText();
    }
}
