package net.ircbridge.matrix;

import java.util.List;

/**
 * An {@code m.space.parent} content (state key: the space); without servers to join through it points to nothing.
 *
 * @param canonical whether it is the room's main space (left out when false)
 */
public record SpaceParent(List<String> via, boolean canonical) implements StateContent {

    /** The content that says a room is no longer in the space. */
    public static final SpaceParent REMOVED = new SpaceParent(null, false);

    @Override
    public String eventType() {
        return "m.space.parent";
    }
}
