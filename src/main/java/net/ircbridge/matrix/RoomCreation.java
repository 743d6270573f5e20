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
        return new RoomCreation(preset, roomVersion, aliasName, name, topic, visibility, direct, invite, creationType, federate,
                powerLevels, initialState);
    }

    /** With a local alias ({@code room_alias_name}: the alias's localpart). */
    public RoomCreation alias(String localpart) {
        return new RoomCreation(preset, roomVersion, localpart, name, topic, visibility, direct, invite, creationType, federate,
                powerLevels, initialState);
    }

    public RoomCreation named(String roomName) {
        return new RoomCreation(preset, roomVersion, aliasName, roomName, topic, visibility, direct, invite, creationType,
                federate, powerLevels, initialState);
    }

    public RoomCreation topic(String roomTopic) {
        return new RoomCreation(preset, roomVersion, aliasName, name, roomTopic, visibility, direct, invite, creationType,
                federate, powerLevels, initialState);
    }

    /** Listed in the room directory ({@code public}) or not ({@code private}). */
    public RoomCreation visibility(String directoryVisibility) {
        return new RoomCreation(preset, roomVersion, aliasName, name, topic, directoryVisibility, direct, invite, creationType,
                federate, powerLevels, initialState);
    }

    /** A direct chat with the users invited. */
    public RoomCreation direct(List<String> invited) {
        return new RoomCreation(preset, roomVersion, aliasName, name, topic, visibility, true, List.copyOf(invited), creationType,
                federate, powerLevels, initialState);
    }

    /** A space ({@code m.space}). */
    public RoomCreation space() {
        return new RoomCreation(preset, roomVersion, aliasName, name, topic, visibility, direct, invite, "m.space", federate,
                powerLevels, initialState);
    }

    /** Made for this homeserver's users only ({@code m.federate: false}). */
    public RoomCreation local() {
        return new RoomCreation(preset, roomVersion, aliasName, name, topic, visibility, direct, invite, creationType, false,
                powerLevels, initialState);
    }

    public RoomCreation powerLevels(PowerLevels override) {
        return new RoomCreation(preset, roomVersion, aliasName, name, topic, visibility, direct, invite, creationType, federate,
                override, initialState);
    }

    /** With one more state event to be made with. */
    public RoomCreation with(InitialState state) {
        List<InitialState> states = initialState == null ? new ArrayList<>() : new ArrayList<>(initialState);
        states.add(state);
        return new RoomCreation(preset, roomVersion, aliasName, name, topic, visibility, direct, invite, creationType, federate,
                powerLevels, List.copyOf(states));
    }
}
