package net.ircbridge.matrix;

import java.util.List;

/** An {@code m.space.child} content (state key: the child room); without servers to join through it lists nothing. */
public record SpaceChild(List<String> via) implements StateContent {

    /** The content that takes a child out of its space. */
    public static final SpaceChild REMOVED = new SpaceChild(null);

    @Override
    public String eventType() {
        return "m.space.child";
    }
}
