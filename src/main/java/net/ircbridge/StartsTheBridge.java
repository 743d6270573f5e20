package net.ircbridge;

import jakarta.enterprise.context.ApplicationScoped;
import net.ircbridge.irc.KeepsTheBotOnEachNetwork;

/** Starts the bridge's work once the homeserver is known to be there: IRC connections and what is owed. */
@ApplicationScoped
public class StartsTheBridge {

    private final KeepsTheBotOnEachNetwork bots;

    public StartsTheBridge(KeepsTheBotOnEachNetwork bots) {
        this.bots = bots;
    }

    /** Starts the bridge's own activity. */
    public void start() {
        bots.connectAll();
    }
}
