package net.ircbridge.matrix;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;

/** The JSON of the bridge's typed contents and requests, as the homeserver (or a client of the appservice API) reads it. */
final class WritesMatrixJson {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

    private WritesMatrixJson() {
    }

    static ObjectNode state(StateContent content) {
        ObjectNode json = JSON.objectNode();
        if (content instanceof MemberContent m) {
            json.put("membership", m.membership());
            putIfNotNull(json, "reason", m.reason());
            putIfNotNull(json, "displayname", m.displayName());
            if (m.softKick()) {
                json.put(MemberContent.SOFT_KICK_KEY, true);
            }
        } else if (content instanceof TopicContent t) {
            putIfNotNull(json, "topic", t.topic());
        } else if (content instanceof RoomName n) {
            putIfNotNull(json, "name", n.name());
        } else if (content instanceof RoomAvatar a) {
            putIfNotNull(json, "url", a.url());
        } else if (content instanceof HistoryVisibility h) {
            json.put("history_visibility", h.visibility());
        } else if (content instanceof JoinRules rules) {
            json.put("join_rule", rules.joinRule());
            if (rules.allow() != null) {
                ArrayNode allow = json.putArray("allow");
                rules.allow().forEach(a -> allow.addObject().put("type", a.type()).put("room_id", a.roomId()));
            }
        } else if (content instanceof PowerLevels levels) {
            return levels.json();
        } else if (content instanceof SpaceChild child) {
            putStrings(json, "via", child.via());
        } else if (content instanceof SpaceParent parent) {
            if (parent.canonical()) {
                json.put("canonical", true);
            }
            putStrings(json, "via", parent.via());
        } else if (content instanceof BridgeInfo info) {
            json.put("bridgebot", info.bridgeBot());
            named(json, "protocol", info.protocol());
            named(json, "network", info.network());
            named(json, "channel", info.channel());
        }
        return json;
    }

    static ObjectNode message(MessageContent content) {
        ObjectNode json = JSON.objectNode().put("msgtype", content.msgtype()).put("body", content.body());
        if (content.html() != null) {
            json.put("format", "org.matrix.custom.html").put("formatted_body", content.html());
        }
        if (content.mentions() != null) {
            putStrings(json.putObject("m.mentions"), "user_ids", content.mentions());
        }
        if (content.inReplyTo() != null) {
            json.putObject("m.relates_to").putObject("m.in_reply_to").put("event_id", content.inReplyTo());
        }
        return json;
    }

    static ObjectNode room(RoomCreation room) {
        ObjectNode json = JSON.objectNode();
        putIfNotNull(json, "room_version", room.roomVersion());
        putIfNotNull(json, "room_alias_name", room.aliasName());
        putIfNotNull(json, "name", room.name());
        putIfNotNull(json, "topic", room.topic());
        json.put("preset", room.preset());
        putIfNotNull(json, "visibility", room.visibility());
        if (room.direct()) {
            json.put("is_direct", true);
        }
        putStrings(json, "invite", room.invite());
        if (room.creationType() != null || room.federate() != null) {
            ObjectNode creation = json.putObject("creation_content");
            putIfNotNull(creation, "type", room.creationType());
            if (room.federate() != null) {
                creation.put("m.federate", room.federate());
            }
        }
        if (room.powerLevels() != null) {
            json.set("power_level_content_override", room.powerLevels().json());
        }
        if (room.initialState() != null) {
            ArrayNode states = json.putArray("initial_state");
            room.initialState().forEach(s -> states.addObject().put("type", s.type()).put("state_key", s.stateKey())
                    .set("content", state(s.content())));
        }
        return json;
    }

    static ObjectNode protocol(ThirdPartyProtocol protocol) {
        ObjectNode json = JSON.objectNode();
        putStrings(json, "user_fields", protocol.userFields());
        putStrings(json, "location_fields", protocol.locationFields());
        json.put("icon", protocol.icon());
        ObjectNode types = json.putObject("field_types");
        protocol.fieldTypes().forEach((field, type) -> types.putObject(field).put("regexp", type.regexp())
                .put("placeholder", type.placeholder()));
        ArrayNode instances = json.putArray("instances");
        for (ThirdPartyProtocol.Instance instance : protocol.instances()) {
            ObjectNode i = instances.addObject().put("network_id", instance.networkId()).put("desc", instance.desc())
                    .put("icon", instance.icon());
            putTexts(i.putObject("fields"), instance.fields());
        }
        return json;
    }

    static ObjectNode location(ThirdPartyLocation location) {
        ObjectNode json = JSON.objectNode().put("alias", location.alias()).put("protocol", location.protocol());
        putTexts(json.putObject("fields"), location.fields());
        return json;
    }

    static ObjectNode user(ThirdPartyUser user) {
        ObjectNode json = JSON.objectNode().put("userid", user.userId()).put("protocol", user.protocol());
        putTexts(json.putObject("fields"), user.fields());
        return json;
    }

    private static void named(ObjectNode json, String field, BridgeInfo.Named named) {
        json.putObject(field).put("id", named.id()).put("displayname", named.displayName());
    }

    private static void putIfNotNull(ObjectNode json, String field, String value) {
        if (value != null) {
            json.put(field, value);
        }
    }

    private static void putStrings(ObjectNode json, String field, List<String> values) {
        if (values != null) {
            ArrayNode array = json.putArray(field);
            values.forEach(array::add);
        }
    }

    private static void putTexts(ObjectNode json, Map<String, String> texts) {
        texts.forEach(json::put);
    }
}
