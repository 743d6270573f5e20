package net.ircbridge.bridge;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import net.ircbridge.config.BridgeConfig;

/** Which Matrix users may use the bridge: users of the allowed homeservers (all of them when none are listed). */
@ApplicationScoped
public class DecidesWhoMayUseTheBridge {

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
}
