package net.ircbridge;

import jakarta.enterprise.context.ApplicationScoped;

/** Starts the bridge's work once the homeserver is known to be there: IRC connections and what is owed. */
@ApplicationScoped
public class StartsTheBridge {

    /** Starts the bridge's own activity. */
    public void start() {
        // IRC bot connections are started here once the IRC layer lands (see ConnectsBotsToNetworks).
    }
}
