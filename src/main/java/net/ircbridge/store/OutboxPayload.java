package net.ircbridge.store;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What an IRC outbox row keeps for the one who says it in Matrix: named texts and, for a line, the users it mentions.
 * Stored as a JSON object (the texts as its fields, the mentions as {@code mentions}), the form rows written by
 * earlier versions have too.
 *
 * @param texts    the texts by name (in the order they are written); a field stored as null is left out
 * @param mentions the user ids mentioned, null when the payload has none
 */
public record OutboxPayload(Map<String, String> texts, List<String> mentions) {

    private static final ObjectMapper JSON = new ObjectMapper();

    public OutboxPayload {
        texts = Collections.unmodifiableMap(new LinkedHashMap<>(texts));
        mentions = mentions == null ? null : List.copyOf(mentions);
    }

    /** A text of the payload, or {@code otherwise} when it has none of that name. */
    public String text(String name, String otherwise) {
        return texts.getOrDefault(name, otherwise);
    }

    /** The mentions, an empty list when it has none. */
    public List<String> mentionsOrNone() {
        return mentions == null ? List.of() : mentions;
    }

    /** The stored form. */
    public String toJson() {
        ObjectNode json = JSON.createObjectNode();
        texts.forEach(json::put);
        if (mentions != null) {
            ArrayNode list = json.putArray("mentions");
            mentions.forEach(list::add);
        }
        return json.toString();
    }

    /**
     * Reads a stored payload: every field but {@code mentions} as a text (a number or a boolean by its text), the
     * elements of {@code mentions} as user ids; JSON that is not an object reads as an empty payload.
     *
     * @throws IOException when it is not JSON
     */
    public static OutboxPayload fromJson(String stored) throws IOException {
        JsonNode json = JSON.readTree(stored);
        if (json == null || !json.isObject()) {
            return new OutboxPayload(Map.of(), null);
        }
        Map<String, String> texts = new LinkedHashMap<>();
        List<String> mentions = json.has("mentions") ? new ArrayList<>() : null;
        json.fields().forEachRemaining(field -> {
            if (field.getKey().equals("mentions")) {
                field.getValue().forEach(m -> mentions.add(m.asText()));
            } else if (!field.getValue().isNull()) {
                texts.put(field.getKey(), field.getValue().asText());
            }
        });
        return new OutboxPayload(texts, mentions);
    }
}
