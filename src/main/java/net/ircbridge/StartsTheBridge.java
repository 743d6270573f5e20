package net.ircbridge;

import jakarta.enterprise.context.ApplicationScoped;
import net.ircbridge.bridge.relay.DeliversIrcMessagesToRooms;
import net.ircbridge.bridge.portals.KeepsASpacePerNetwork;
import net.ircbridge.bridge.portals.RestoresBridgedRoomsAtStart;
import net.ircbridge.irc.KeepsTheBotOnEachNetwork;

/** Starts the bridge's work once the homeserver is known to be there: IRC connections and what is owed. */
@ApplicationScoped
public class StartsTheBridge {

    private final KeepsTheBotOnEachNetwork bots;
    private final RestoresBridgedRoomsAtStart rooms;
    private final KeepsASpacePerNetwork spaces;
    private final DeliversIrcMessagesToRooms ircLines;

    public StartsTheBridge(KeepsTheBotOnEachNetwork bots, RestoresBridgedRoomsAtStart rooms, KeepsASpacePerNetwork spaces,
            DeliversIrcMessagesToRooms ircLines) {
        this.bots = bots;
        this.rooms = rooms;
        this.spaces = spaces;
        this.ircLines = ircLines;
    }

    /** Starts the bridge's own activity. */
    public void start() {
        rooms.restore();
        // IRC lines stored before the stop go before new ones (and after the rooms' members are known, for holds).
        ircLines.resumeAtStart();
        spaces.start();
        bots.connectAll();
    }
}
