package net.ircbridge.matrix;

/**
 * An {@code m.room.member} state event: the user of the state key joined, left, was invited, kicked, banned or
 * knocked.
 *
 * @param membership          the membership it sets, null when the content has none
 * @param previousMembership  the membership it replaced ({@code unsigned.prev_content}), "" when unknown
 * @param reason              the reason given, "" when none
 * @param displayName         the display name in the room, null when none
 * @param previousDisplayName the display name it replaced, null when none
 * @param softKick            whether it is a soft kick ({@link MemberContent#SOFT_KICK_KEY})
 * @param direct              whether an invite is to a direct chat ({@code is_direct})
 */
public record MemberChanged(Envelope envelope, String membership, String previousMembership, String reason,
        String displayName, String previousDisplayName, boolean softKick, boolean direct) implements MatrixEvent {

    /** The user whose membership it is (the state key). */
    public String user() {
        return stateKey();
    }
}
