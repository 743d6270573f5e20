package net.ircbridge.matrix;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Makes typed events of the homeserver's JSON. Every read is lenient, as Jackson's {@code path}/{@code asText}
 * reads are: a field that is missing, null or of another type reads as absent (or as the text of a number or a
 * boolean), so no event, however odd, makes this throw. Sizes are capped before (the transaction's size).
 */
final class ReadsMatrixEvents {

    private ReadsMatrixEvents() {
    }

    /** The typed event of one event's JSON (anything but an object is an {@link OtherEvent} with nothing known). */
    static MatrixEvent read(JsonNode json) {
        JsonNode event = json == null ? MissingNode.getInstance() : json;
        MatrixEvent.Envelope envelope = new MatrixEvent.Envelope(text(event, "type"), text(event, "room_id"), text(event, "sender"),
                text(event, "event_id"), text(event, "state_key"), event.path("origin_server_ts").asLong(0));
        JsonNode content = event.path("content");
        boolean state = envelope.stateKey() != null;
        String type = envelope.type() == null ? "" : envelope.type();
        switch (type) {
            case "m.room.member":
                if (state) {
                    JsonNode before = event.path("unsigned").path("prev_content");
                    return new MemberChanged(envelope, content.path("membership").asText(null),
                            before.path("membership").asText(""), content.path("reason").asText(""),
                            content.path("displayname").asText(null), before.path("displayname").asText(null),
                            content.path(MemberContent.SOFT_KICK_KEY).asBoolean(false), content.path("is_direct").asBoolean(false));
                }
                break;
            case "m.room.message", "m.sticker":
                return new MessageSent(envelope, body(content), relation(content.path("m.relates_to")),
                        content.has("m.new_content") ? body(content.path("m.new_content")) : null);
            case "m.reaction":
                return new Reacted(envelope, relation(content.path("m.relates_to")));
            case "m.room.topic":
                if (state) {
                    return new TopicChanged(envelope, content.path("topic").asText(""));
                }
                break;
            case "m.room.power_levels":
                if (state) {
                    return new PowerLevelsChanged(envelope, PowerLevels.read(content));
                }
                break;
            case "m.room.join_rules":
                if (state) {
                    return new JoinRulesChanged(envelope, joinRules(content));
                }
                break;
            case "m.room.redaction":
                // Room versions up to 10 say what is redacted beside the content, 11 in it.
                String redacts = text(event, "redacts");
                return new Redacted(envelope, redacts != null ? redacts : content.path("redacts").asText(null),
                        content.path("reason").asText(""));
            default:
                break;
        }
        return new OtherEvent(envelope);
    }

    static MessageBody body(JsonNode content) {
        return new MessageBody(content.path("msgtype").asText(""), content.path("body").asText(null),
                content.path("format").asText(""), content.path("formatted_body").asText(""), content.path("url").asText(null),
                content.path("filename").asText(null));
    }

    static Relation relation(JsonNode relation) {
        return new Relation(relation.path("rel_type").asText(""), relation.path("event_id").asText(""),
                relation.path("key").asText(""), relation.path("m.in_reply_to").path("event_id").asText(""),
                relation.path("is_falling_back").asBoolean(false));
    }

    static JoinRules joinRules(JsonNode content) {
        String rule = content.path("join_rule").asText("");
        if (!content.has("allow")) {
            return new JoinRules(rule, null);
        }
        JsonNode allow = content.get("allow");
        if (!allow.isArray()) {
            return new JoinRules(rule, List.of(JoinRules.Allow.UNREADABLE));
        }
        List<JoinRules.Allow> entries = new ArrayList<>();
        for (JsonNode entry : allow) {
            boolean readable = entry.isObject() && entry.size() == 2 && entry.path("type").isTextual()
                    && entry.path("room_id").isTextual();
            entries.add(readable ? new JoinRules.Allow(entry.get("type").asText(), entry.get("room_id").asText())
                    : JoinRules.Allow.UNREADABLE);
        }
        return new JoinRules(rule, List.copyOf(entries));
    }

    /** What the bridge reads of a room's state events (a list; anything else reads as an empty room). */
    static RoomState roomState(JsonNode events) {
        Map<String, JsonNode> look = new HashMap<>();
        Set<String> children = new HashSet<>();
        if (events != null && events.isArray()) {
            for (JsonNode e : events) {
                if (e.path("state_key").asText().isEmpty()) {
                    look.put(e.path("type").asText(), e.path("content"));
                }
                if ("m.space.child".equals(e.path("type").asText()) && e.path("content").has("via")) {
                    children.add(e.path("state_key").asText());
                }
            }
        }
        return new RoomState(field(look, "m.room.name", "name"), field(look, "m.room.topic", "topic"),
                field(look, "m.room.avatar", "url"), Set.copyOf(children));
    }

    private static String field(Map<String, JsonNode> look, String type, String field) {
        JsonNode content = look.get(type);
        return content == null ? null : content.path(field).asText(null);
    }

    /** The same as the old accessors read: null for a missing or null field, else its text. */
    private static String text(JsonNode json, String field) {
        JsonNode node = json.get(field);
        return node == null || node.isNull() ? null : node.asText();
    }
}
