package net.ircbridge.matrix;

import java.util.List;

/**
 * An {@code m.room.join_rules} content: the rule ({@code public}, {@code knock}, {@code invite}, {@code restricted})
 * and, for a restricted room, the rooms whose members may join.
 *
 * @param joinRule the rule, "" when the content has none
 * @param allow    who may join a restricted room; null when the content has no {@code allow}
 */
public record JoinRules(String joinRule, List<Allow> allow) implements StateContent {

    /** Join rules that could not be read: no rule, nothing allowed. */
    public static final JoinRules UNKNOWN = new JoinRules("", null);

    /**
     * One way into a restricted room: membership of a room. An entry read from a room that is anything but a
     * {@code type} and a {@code room_id} is {@link #UNREADABLE}, equal to no entry the bridge makes.
     */
    public record Allow(String type, String roomId) {

        static final Allow UNREADABLE = new Allow(null, null);

        /** Members of the room may join. */
        public static Allow membersOf(String roomId) {
            return new Allow("m.room_membership", roomId);
        }
    }

    /** A rule without an {@code allow} list. */
    public static JoinRules of(String joinRule) {
        return new JoinRules(joinRule, null);
    }

    @Override
    public String eventType() {
        return "m.room.join_rules";
    }
}
