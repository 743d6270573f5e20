package net.ircbridge.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import net.ircbridge.testbed.TestBed;

/**
 * Configuration files for bridges under test. All of them share the appservice registration Synapse loaded at
 * start (same id, tokens and namespaces, network id {@value #NETWORK}); each gets a data directory of its own.
 */
public final class TestBridgeConfig {

    /** The IRC network id of every bridge under test; the registration's namespaces are made for it. */
    public static final String NETWORK = "testnet";

    private TestBridgeConfig() {
    }

    /** The configuration the shared registration is generated from. */
    public static String yaml(TestBed bed, String registration, String databaseSection, String botNick) {
        return """
                homeserver:
                  url: %s
                  domain: %s
                appservice:
                  id: irc
                  address: 127.0.0.1
                  port: %d
                  url: http://127.0.0.1:%d
                  registration: %s
                  bot-localpart: ircbridge
                %s
                bridge:
                  admins: []
                irc:
                  networks:
                    - id: %s
                      name: Test IRC
                      host: %s
                      port: %d
                      bot-nick: %s
                      channels: []
                """.formatted(bed.synapseUrl(), bed.serverName(), bed.bridgePort(), bed.bridgePort(), registration,
                databaseSection.strip(), NETWORK, bed.ircHost(), bed.ircPort(), botNick);
    }

    /**
     * Writes a configuration for a new bridge under test in a fresh directory, using the shared registration.
     *
     * @return the configuration file
     */
    public static Path write(TestBed bed, String name) {
        return write(bed, name, embeddedDatabase(bed.workDir().resolve("bridges").resolve(name).resolve("data")));
    }

    /** The database section of an embedded database in a directory. */
    public static String embeddedDatabase(Path dataDirectory) {
        return "database:\n  data-directory: " + dataDirectory + "\n";
    }

    /** Like {@link #write(TestBed, String)}, with another database section (e.g. PostgreSQL). */
    public static Path write(TestBed bed, String name, String databaseSection) {
        Path dir = bed.workDir().resolve("bridges").resolve(name);
        try {
            Files.createDirectories(dir);
            Path config = dir.resolve("config.yaml");
            Files.writeString(config, yaml(bed, bed.registrationFile().toString(), databaseSection, bed.uniqueName("Bot")));
            return config;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
