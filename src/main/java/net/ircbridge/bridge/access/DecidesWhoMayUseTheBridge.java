package net.ircbridge.bridge.access;

import net.ircbridge.bridge.membership.ConnectsMatrixUsersToIrc;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import net.ircbridge.config.BridgeConfig;

/**
 * Which Matrix users may use the bridge: users of the allowed homeservers (all of them when none are listed). It is
 * asked where the bridge asks irc/ for a user's connection ({@link ConnectsMatrixUsersToIrc}), so that no path
 * (joins, knocks, invites, private messages, logins, reconnects at start) connects a user it refuses.
 */
@ApplicationScoped
public class DecidesWhoMayUseTheBridge {

    /** What a user the bridge does not serve is told (a kick's reason, a declined knock's, a declined invite's). */
    public static final String REFUSAL = "This bridge serves only users of its allowed homeservers.";

    private final List<String> allowedHomeservers;

    public DecidesWhoMayUseTheBridge(BridgeConfig config) {
        this.allowedHomeservers = config.allowedHomeservers().orElse(List.of());
    }

    public boolean mayUse(String userId) {
        if (allowedHomeservers.isEmpty()) {
            return true;
        }
        int colon = userId.indexOf(':');
        return colon > 0 && allowedHomeservers.contains(userId.substring(colon + 1));
    }

    /** A connection was asked for a user the bridge does not serve: refused before anything reached IRC. */
    public static final class NotServed extends RuntimeException {

        private final String userId;

        public NotServed(String userId) {
            super(REFUSAL);
            this.userId = userId;
        }

        /** The user who was refused. */
        public String userId() {
            return userId;
        }
    }
}
