package net.ircbridge.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/** How the bridge presents itself to the homeserver as an application service. */
@ConfigMapping(prefix = "appservice")
public interface AppserviceConfig {

    /** The appservice id, unique on the homeserver. */
    @WithDefault("irc")
    String id();

    /** Address the bridge listens on for the homeserver's requests. */
    @WithDefault("127.0.0.1")
    String address();

    /** Port the bridge listens on for the homeserver's requests. */
    @WithDefault("9898")
    int port();

    /** URL the homeserver uses to reach the bridge (written into the registration file). */
    String url();

    /** Registration file the tokens are read from when they are not set here. */
    @WithDefault("registration.yaml")
    String registration();

    /** Token the bridge presents to the homeserver; empty means: read it from the registration file. */
    Optional<String> asToken();

    /** Token the homeserver presents to the bridge; empty means: read it from the registration file. */
    Optional<String> hsToken();

    /** Localpart of the bridge bot. */
    @WithDefault("ircbridge")
    String botLocalpart();

    /** Matrix user id of an IRC user, with {network}, {nick} and {domain}. */
    @WithDefault("@irc_{network}_{nick}:{domain}")
    String userIdTemplate();

    /** Alias of a room bridged to an IRC channel, with {network}, {channel} and {domain}. */
    @WithDefault("#irc_{network}_{channel}:{domain}")
    String aliasTemplate();
}
