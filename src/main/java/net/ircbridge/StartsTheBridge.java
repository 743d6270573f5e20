package net.ircbridge;

import jakarta.enterprise.context.ApplicationScoped;
import net.ircbridge.bridge.RestoresBridgedRoomsAtStart;
import net.ircbridge.irc.KeepsTheBotOnEachNetwork;

/** Starts the bridge's work once the homeserver is known to be there: IRC connections and what is owed. */
@ApplicationScoped
public class StartsTheBridge {

    private final KeepsTheBotOnEachNetwork bots;
    private final RestoresBridgedRoomsAtStart rooms;

    public StartsTheBridge(KeepsTheBotOnEachNetwork bots, RestoresBridgedRoomsAtStart rooms) {
        this.bots = bots;
        this.rooms = rooms;
    }

    /** Starts the bridge's own activity. */
    public void start() {
        rooms.restore();
        bots.connectAll();
    }
}
