package net.ircbridge.config;

import io.smallrye.config.ConfigMapping;
import java.util.List;
import java.util.Optional;

/** Who runs the bridge and who may use it. */
@ConfigMapping(prefix = "bridge")
public interface BridgeConfig {

    /** Matrix users who administer the bridge; they are told about problems the bridge cannot solve alone. */
    Optional<List<String>> admins();

    /** Homeservers whose users may use the bridge; empty means every homeserver. */
    Optional<List<String>> allowedHomeservers();
}
