package net.ircbridge.matrix;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;

/**
 * An {@code m.room.power_levels} content, read from a room or made for a new one. Changing users' levels keeps every
 * other key as the room had it (including keys this class knows nothing of), so setting the levels again never
 * loses what others set. Immutable: each change makes a new value.
 */
public final class PowerLevels implements StateContent {

    private final ObjectNode json;

    private PowerLevels(ObjectNode json) {
        this.json = json;
    }

    /** Power levels that say only these users' levels (as a new room's override, say). */
    public static PowerLevels ofUsers(Map<String, Integer> users) {
        ObjectNode json = JsonNodeFactory.instance.objectNode();
        ObjectNode levels = json.putObject("users");
        users.forEach(levels::put);
        return new PowerLevels(json);
    }

    /** The content as read; anything but an object reads as empty power levels. */
    static PowerLevels read(JsonNode content) {
        return new PowerLevels(content != null && content.isObject() ? ((ObjectNode) content).deepCopy()
                : JsonNodeFactory.instance.objectNode());
    }

    /** The level of users not listed ({@code users_default}, 0 when not said). */
    public int usersDefault() {
        return json.path("users_default").asInt(0);
    }

    /** A user's level: theirs if listed, else the users' default. */
    public int levelOf(String user) {
        return json.path("users").path(user).asInt(usersDefault());
    }

    /** The same levels with the user listed at {@code level}. */
    public PowerLevels withUser(String user, int level) {
        PowerLevels changed = copy();
        changed.users().put(user, level);
        return changed;
    }

    /** The same levels with the user no longer listed (at the users' default). */
    public PowerLevels withoutUser(String user) {
        PowerLevels changed = copy();
        changed.users().remove(user);
        return changed;
    }

    /** The same levels with the level needed to send events not listed ({@code events_default}). */
    public PowerLevels withEventsDefault(int level) {
        return with("events_default", level);
    }

    /** The same levels with the level needed to set state not listed ({@code state_default}). */
    public PowerLevels withStateDefault(int level) {
        return with("state_default", level);
    }

    /** The same levels with the level needed to invite. */
    public PowerLevels withInvite(int level) {
        return with("invite", level);
    }

    /** The same levels with the level needed to kick. */
    public PowerLevels withKick(int level) {
        return with("kick", level);
    }

    private PowerLevels with(String field, int level) {
        PowerLevels changed = copy();
        changed.json.put(field, level);
        return changed;
    }

    private PowerLevels copy() {
        return new PowerLevels(json.deepCopy());
    }

    /** The users' levels of this (a copy's own), made an object if the room had anything else there. */
    private ObjectNode users() {
        JsonNode users = json.get("users");
        return users instanceof ObjectNode object ? object : json.putObject("users");
    }

    /** The content, for the homeserver client; a copy, so this value stays as it is. */
    ObjectNode json() {
        return json.deepCopy();
    }

    @Override
    public String eventType() {
        return "m.room.power_levels";
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof PowerLevels p && p.json.equals(json);
    }

    @Override
    public int hashCode() {
        return json.hashCode();
    }

    @Override
    public String toString() {
        return "PowerLevels" + json;
    }
}
