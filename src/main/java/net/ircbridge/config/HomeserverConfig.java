package net.ircbridge.config;

import io.smallrye.config.ConfigMapping;

/** Where the homeserver is and what it is called. */
@ConfigMapping(prefix = "homeserver")
public interface HomeserverConfig {

    /** Base URL of the homeserver's client-server API, as the bridge reaches it. */
    String url();

    /** The homeserver's server name: the part after the colon in user ids. */
    String domain();
}
