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
                      # The test InspIRCd is on this machine, without TLS.
                      allow-plaintext-secrets: true
                      channels: []
                %s""".formatted(bed.synapseUrl(), bed.serverName(), bed.bridgePort(), bed.bridgePort(), registration,
                databaseSection.strip(), NETWORK, bed.ircHost(), bed.ircPort(), botNick, DYNAMIC_CHANNELS);
    }

    /**
     * The test network's {@code dynamic-channels}: most tests make many portals in a minute, for channels a Matrix
     * user is the first on, so the limits are off here; {@link DynamicChannelsIT} replaces this block to test them.
     */
    public static final String DYNAMIC_CHANNELS = """
                  dynamic-channels:
                    new-rooms-per-minute: 100000
                    require-existing: false
            """;

    /**
     * A bridge the homeserver cannot reach: appservice {@code irc-unreachable}, whose registered URL is a port
     * where nothing listens, with namespaces of its own ({@code @ircx_…}).
     */
    public static String unreachableYaml(TestBed bed, String registration, String databaseSection) {
        return yaml(bed, registration, databaseSection, "UnreachBot")
                .replace("  id: irc\n", "  id: irc-unreachable\n")
                .replace("  url: http://127.0.0.1:" + bed.bridgePort() + "\n", "  url: http://127.0.0.1:" + UNREACHABLE_PORT + "\n")
                .replace("  bot-localpart: ircbridge\n", "  bot-localpart: ircbridgex\n"
                        + "  user-id-template: \"@ircx_{network}_{nick}:{domain}\"\n"
                        + "  alias-template: \"#ircx_{network}_{channel}:{domain}\"\n");
    }

    /** Adds a room ↔ channel mapping to the test network of a configuration file. */
    public static void mapRoom(Path config, String channel, String room) {
        networkSetting(config, "channels:\n        - channel: \"" + channel + "\"\n          room: \"" + room + "\"");
    }

    /** Replaces the test network's empty {@code channels: []} line with other settings (YAML, indented for it). */
    public static void networkSetting(Path config, String yaml) {
        try {
            String text = Files.readString(config);
            if (text.contains("      channels: []\n")) {
                text = text.replace("      channels: []\n", "      " + yaml + "\n");
            } else {
                text = text.replace("      bot-nick: ", "      " + yaml + "\n      bot-nick: ");
            }
            Files.writeString(config, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Makes one Matrix user the bridge's only admin ({@code bridge.admins}) in a configuration file. */
    public static void admin(Path config, String userId) {
        try {
            Files.writeString(config, Files.readString(config).replace("  admins: []\n", "  admins: [\"" + userId + "\"]\n"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Points the test network of a configuration file at the test bed's ngIRCd instead of its InspIRCd. */
    public static void useNgircd(TestBed bed, Path config) {
        try {
            String text = Files.readString(config);
            String inspircd = "\n      port: " + bed.ircPort() + "\n";
            if (!text.contains(inspircd)) {
                throw new AssertionError(text);
            }
            Files.writeString(config, text.replace(inspircd, "\n      port: " + bed.ngircdPort() + "\n"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The id of a second network that only {@code HostileIrcServerIT} connects to; the registration covers it. */
    public static final String HOSTILE_NETWORK = "hostile";

    /**
     * Adds the second network {@value #HOSTILE_NETWORK} (a fake server of the test's own) to a configuration's
     * {@code irc.networks}, with {@link #DYNAMIC_CHANNELS} and more settings of its own (YAML keys indented as the
     * network's). Its empty channel list is written {@code [ ]} so that {@link #networkSetting} still finds the test
     * network's alone.
     */
    public static String withHostileNetwork(String yaml, int port, String botNick, String networkSettings) {
        return yaml.stripTrailing() + "\n"
                + "    - id: " + HOSTILE_NETWORK + "\n"
                + "      name: Hostile IRC\n"
                + "      host: 127.0.0.1\n"
                + "      port: " + port + "\n"
                + "      bot-nick: " + botNick + "\n"
                + "      channels: [ ]\n"
                // The fake answers no MODE question, so portals there are made without asking it.
                + DYNAMIC_CHANNELS
                + (networkSettings.isEmpty() ? "" : "      " + networkSettings + "\n");
    }

    /** A port where nothing listens (the discard port, never used by tests). */
    public static final int UNREACHABLE_PORT = 9;

    /** Writes a configuration for the unreachable bridge in a fresh directory. */
    public static Path writeUnreachable(TestBed bed, String name) {
        Path dir = bed.workDir().resolve("bridges").resolve(name);
        try {
            Files.createDirectories(dir);
            Path config = dir.resolve("config.yaml");
            Files.writeString(config, unreachableYaml(bed, bed.unreachableRegistrationFile().toString(),
                    embeddedDatabase(dir.resolve("data"))));
            return config;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
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
        return write(bed, name, databaseSection, bed.uniqueName("Bot"));
    }

    /** Like {@link #write(TestBed, String, String)}, with the bot's nick chosen by the test. */
    public static Path write(TestBed bed, String name, String databaseSection, String botNick) {
        Path dir = bed.workDir().resolve("bridges").resolve(name);
        try {
            Files.createDirectories(dir);
            Path config = dir.resolve("config.yaml");
            Files.writeString(config, yaml(bed, bed.registrationFile().toString(), databaseSection, botNick));
            return config;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
