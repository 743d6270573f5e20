package net.ircbridge.matrix;

/**
 * The content of a state event the bridge sets; {@link HomeserverClient} turns it into the event's JSON. Each kind
 * knows its event type.
 */
public sealed interface StateContent permits MemberContent, TopicContent, RoomName, RoomAvatar, HistoryVisibility,
        JoinRules, PowerLevels, SpaceChild, SpaceParent, BridgeInfo {

    /** The event type this content is the content of. */
    String eventType();
}
