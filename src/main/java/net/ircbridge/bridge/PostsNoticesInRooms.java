package net.ircbridge.bridge;

import jakarta.enterprise.context.ApplicationScoped;
import net.ircbridge.matrix.HomeserverClient;
import org.jboss.logging.Logger;

/**
 * The bot's own word in a bridged room (a network lost, lines dropped, a channel the bot cannot join): an
 * {@code m.notice}, on the room's lane so that it comes after what IRC said before it. A notice that cannot be
 * posted is logged; it never holds up the room.
 */
@ApplicationScoped
public class PostsNoticesInRooms {

    private static final Logger LOG = Logger.getLogger(PostsNoticesInRooms.class);

    private final RoomLanes lanes;
    private final HomeserverClient homeserver;

    public PostsNoticesInRooms(RoomLanes lanes, HomeserverClient homeserver) {
        this.lanes = lanes;
        this.homeserver = homeserver;
    }

    /** Posts {@code text} in {@code roomId}; {@code about} says in the log what the notice was for, if it fails. */
    public void post(String roomId, String text, String about) {
        lanes.submit(roomId, () -> homeserver.sendText(null, roomId, "m.notice", text)).exceptionally(failure -> {
            LOG.warnf("Could not tell %s %s: %s", roomId, about, failure.getMessage());
            return null;
        });
    }
}
