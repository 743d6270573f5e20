package net.ircbridge.config;

import java.nio.file.Path;

/**
 * Relative paths in the configuration (registration file, data directory) are relative to the directory of the
 * configuration file, so the bridge finds its files wherever it is started from.
 */
public final class ConfigFiles {

    /** System property holding the configuration file's directory, set by the command line before Quarkus starts. */
    public static final String DIRECTORY_PROPERTY = "bridge.config-directory";

    private ConfigFiles() {
    }

    /** The directory of the configuration file. */
    public static Path directory() {
        return Path.of(System.getProperty(DIRECTORY_PROPERTY, ".")).toAbsolutePath();
    }

    /** A path from the configuration, resolved against the configuration file's directory. */
    public static Path resolve(String path) {
        return directory().resolve(path).normalize();
    }
}
