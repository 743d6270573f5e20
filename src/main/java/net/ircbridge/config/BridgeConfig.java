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

    /**
     * Ghosts registered per minute because the homeserver asked for a user id in the bridge's namespace (anyone can
     * make it ask, by inviting or looking up {@code @irc_net_anything}); a token bucket of this size. Beyond it the
     * user is answered as not existing, until the bucket refills. Ghosts of IRC users the bridge sees are not counted.
     */
    @io.smallrye.config.WithDefault("60")
    int ghostQueriesPerMinute();
}
