package net.ircbridge.matrix;

/**
 * An {@code m.room.member} content the bridge sets by a state PUT (which, unlike {@code /kick}, keeps every key).
 *
 * @param reason      the reason, left out when null
 * @param displayName the display name in the room, left out when null
 * @param softKick    whether it is a soft kick: the user may come back on their own ({@link #SOFT_KICK_KEY})
 */
public record MemberContent(String membership, String reason, String displayName, boolean softKick) implements StateContent {

    /** The key that marks a leave as a soft kick (MSC3217): clients show it as "may rejoin". */
    public static final String SOFT_KICK_KEY = "org.matrix.msc3217.softkick";

    /** A soft kick: the user leaves with a reason, and may come back. */
    public static MemberContent softKick(String reason) {
        return new MemberContent("leave", reason, null, true);
    }

    /** A join with a display name for this room only. */
    public static MemberContent join(String displayName, String reason) {
        return new MemberContent("join", reason, displayName, false);
    }

    @Override
    public String eventType() {
        return "m.room.member";
    }
}
