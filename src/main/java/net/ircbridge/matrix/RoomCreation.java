package net.ircbridge.matrix;

import java.util.ArrayList;
import java.util.List;

/**
 * A {@code /createRoom} request; each part is left out when null (false for {@code direct}). Made from a preset and
 * added to: {@code RoomCreation.preset("public_chat").named("#channel")...}.
 *
 * @param creationType the room's type ({@code m.space}), in its creation content
 * @param federate     false makes the room local to the homeserver ({@code m.federate}, in its creation content)
 * @param powerLevels  the power levels that override the preset's
 */
public record RoomCreation(String preset, String roomVersion, String aliasName, String name, String topic, String visibility,
        boolean direct, List<String> invite, String creationType, Boolean federate, PowerLevels powerLevels,
        List<InitialState> initialState) {

    /** A state event the room is made with. */
    public record InitialState(String type, String stateKey, StateContent content) {

        /** A state event of the content's own type. */
        public static InitialState of(String stateKey, StateContent content) {
            return new InitialState(content.eventType(), stateKey, content);
        }
    }

    /** A room made with a preset ({@code public_chat}, {@code private_chat}, {@code trusted_private_chat}). */
    public static RoomCreation preset(String preset) {
        return new RoomCreation(preset, null, null, null, null, null, false, null, null, null, null, null);
    }

    public RoomCreation version(String roomVersion) {
        return change(d -> d.roomVersion = roomVersion);
    }

    /** With a local alias ({@code room_alias_name}: the alias's localpart). */
    public RoomCreation alias(String localpart) {
        return change(d -> d.aliasName = localpart);
    }

    public RoomCreation named(String roomName) {
        return change(d -> d.name = roomName);
    }

    public RoomCreation topic(String roomTopic) {
        return change(d -> d.topic = roomTopic);
    }

    /** Listed in the room directory ({@code public}) or not ({@code private}). */
    public RoomCreation visibility(String directoryVisibility) {
        return change(d -> d.visibility = directoryVisibility);
    }

    /** A direct chat with the users invited. */
    public RoomCreation direct(List<String> invited) {
        return change(d -> {
            d.direct = true;
            d.invite = List.copyOf(invited);
        });
    }

    /** A space ({@code m.space}). */
    public RoomCreation space() {
        return change(d -> d.creationType = "m.space");
    }

    /** Made for this homeserver's users only ({@code m.federate: false}). */
    public RoomCreation local() {
        return change(d -> d.federate = false);
    }

    public RoomCreation powerLevels(PowerLevels override) {
        return change(d -> d.powerLevels = override);
    }

    /** With one more state event to be made with. */
    public RoomCreation with(InitialState state) {
        return change(d -> {
            List<InitialState> states = d.initialState == null ? new ArrayList<>() : new ArrayList<>(d.initialState);
            states.add(state);
            d.initialState = List.copyOf(states);
        });
    }

    /** A copy with one part changed: a record has no setters, so the copy is made through a draft. */
    private RoomCreation change(java.util.function.Consumer<Draft> change) {
        Draft draft = new Draft(this);
        change.accept(draft);
        return new RoomCreation(draft.preset, draft.roomVersion, draft.aliasName, draft.name, draft.topic, draft.visibility,
                draft.direct, draft.invite, draft.creationType, draft.federate, draft.powerLevels, draft.initialState);
    }

    private static final class Draft {
        String preset;
        String roomVersion;
        String aliasName;
        String name;
        String topic;
        String visibility;
        boolean direct;
        List<String> invite;
        String creationType;
        Boolean federate;
        PowerLevels powerLevels;
        List<InitialState> initialState;

        Draft(RoomCreation r) {
            preset = r.preset;
            roomVersion = r.roomVersion;
            aliasName = r.aliasName;
            name = r.name;
            topic = r.topic;
            visibility = r.visibility;
            direct = r.direct;
            invite = r.invite;
            creationType = r.creationType;
            federate = r.federate;
            powerLevels = r.powerLevels;
            initialState = r.initialState;
        }
    }
}
