package net.ircbridge;

import jakarta.enterprise.context.ApplicationScoped;
import net.ircbridge.bridge.KeepsASpacePerNetwork;
import net.ircbridge.bridge.RestoresBridgedRoomsAtStart;
import net.ircbridge.irc.KeepsTheBotOnEachNetwork;

/** Starts the bridge's work once the homeserver is known to be there: IRC connections and what is owed. */
@ApplicationScoped
public class StartsTheBridge {

    private final KeepsTheBotOnEachNetwork bots;
    private final RestoresBridgedRoomsAtStart rooms;
    private final KeepsASpacePerNetwork spaces;

    public StartsTheBridge(KeepsTheBotOnEachNetwork bots, RestoresBridgedRoomsAtStart rooms, KeepsASpacePerNetwork spaces) {
        this.bots = bots;
        this.rooms = rooms;
        this.spaces = spaces;
    }

    /** Starts the bridge's own activity. */
    public void start() {
        rooms.restore();
        spaces.start();
        bots.connectAll();
    }
}
