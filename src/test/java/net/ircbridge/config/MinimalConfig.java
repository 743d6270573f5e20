package net.ircbridge.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The smallest valid configuration, and loading a variant of it from a file: shared by the configuration tests. */
final class MinimalConfig {

    /** One network with no channels, tokens inline (so it passes with or without the need for tokens). */
    static final String VALID = """
            homeserver:
              url: http://localhost:8008
              domain: localhost
            appservice:
              url: http://127.0.0.1:9898
              as-token: a
              hs-token: h
            irc:
              networks:
                - id: example
                  host: 127.0.0.1
                  channels: []
            """;

    private MinimalConfig() {
    }

    /** Writes {@code yaml} as config.yaml in {@code dir} and loads it as the bridge does at start-up. */
    static LoadsConfiguration.Result load(Path dir, String yaml, boolean needTokens) throws IOException {
        Path file = dir.resolve("config.yaml");
        Files.writeString(file, yaml);
        return LoadsConfiguration.load(file, needTokens);
    }
}
