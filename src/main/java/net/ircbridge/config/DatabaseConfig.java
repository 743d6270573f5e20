package net.ircbridge.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.util.Optional;

/** Where the bridge keeps its state: an embedded database by default, PostgreSQL by URL. */
@ConfigMapping(prefix = "database")
public interface DatabaseConfig {

    /** JDBC URL of a PostgreSQL database; empty means the embedded database under the data directory. */
    Optional<String> url();

    /** PostgreSQL user name. */
    Optional<String> username();

    /** PostgreSQL password. */
    Optional<String> password();

    /** Directory of the embedded database and other state of the bridge. */
    @WithDefault("data")
    String dataDirectory();

    /** Largest number of open database connections. */
    @WithDefault("8")
    int maxConnections();
}
