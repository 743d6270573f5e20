package net.ircbridge;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.QuarkusApplication;
import jakarta.inject.Inject;
import net.ircbridge.matrix.ChecksHomeserverAtStartup;
import net.ircbridge.matrix.TransactionInbox;
import org.jboss.logging.Logger;

/**
 * The running bridge. Quarkus calls {@link #run} once everything is started, the HTTP server included, so this is
 * where the bridge checks that the homeserver and the bridge can reach each other before it settles down.
 */
public class BridgeApplication implements QuarkusApplication {

    private static final Logger LOG = Logger.getLogger(BridgeApplication.class);

    @Inject
    ChecksHomeserverAtStartup homeserverChecks;

    @Inject
    StartsTheBridge bridge;

    @Inject
    TransactionInbox inbox;

    @Override
    public int run(String... args) throws Exception {
        if (!homeserverChecks.homeserverAcceptsTheBridge()) {
            return 1;
        }
        // A failed ping is logged with what to fix; the bridge keeps running, since the homeserver may reach it once fixed.
        homeserverChecks.homeserverReachesTheBridge();
        inbox.start();
        bridge.start();
        LOG.info("Bridge ready");
        Quarkus.waitForExit();
        return 0;
    }
}
