package net.ircbridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import net.ircbridge.config.Registration;
import net.ircbridge.testbed.IrcTestClient;
import net.ircbridge.testbed.MatrixTestClient;
import net.ircbridge.testbed.TestBed;
import org.junit.jupiter.api.Test;

/**
 * Portal rooms made on demand stay within the network's {@code dynamic-channels}: allowed and not denied, existing
 * on IRC, at most {@code max-rooms}, at most {@code new-rooms-per-minute}; refused aliases are unknown (404). And
 * ghosts asked for by the homeserver are registered at a bounded rate.
 */
class DynamicChannelsIT {

    private static final Duration WAIT = Duration.ofSeconds(60);

    @Test
    void onlyAllowedNotDeniedExistingChannelsGetAPortalAndItDoesNotFederate() throws Exception {
        TestBed bed = TestBed.get();
        Path config = configure(bed, "dynallow", """
                      dynamic-channels:
                        allow: ["#dc*"]
                        deny: ["#dcdeny*"]
                        require-existing: true
                        federate: false
                        new-rooms-per-minute: 1000
                """, "");
        String allowed = "#" + bed.uniqueName("dc");
        String absent = "#" + bed.uniqueName("dc");
        String denied = "#" + bed.uniqueName("dcdeny");
        String other = "#" + bed.uniqueName("other");
        try (IrcTestClient watcher = IrcTestClient.connect(bed, bed.uniqueName("w"));
                BridgeProcess bridge = BridgeProcess.start(config)) {
            watcher.join(allowed);
            watcher.join(denied);
            watcher.join(other);
            MatrixTestClient user = MatrixTestClient.register(bed, bed.uniqueName("mx"));

            assertEquals(404, tryJoin(user, alias(bed, other)), "not allowed");
            assertEquals(404, tryJoin(user, alias(bed, denied)), "denied");
            assertEquals(404, tryJoin(user, alias(bed, absent)), "nobody is on it: the bot would found it");
            assertFalse(watcher.names(absent).stream().anyMatch(n -> !n.equalsIgnoreCase(watcher.nick())),
                    "the bot did not found " + absent);

            String room = user.join(alias(bed, allowed));
            assertEquals(false, user.state(room, "m.room.create", "").path("m.federate").asBoolean(true),
                    "made with m.federate: false");
            bridge.awaitLog(l -> l.contains("No portal room for " + denied) && l.contains("dynamic-channels.deny"), WAIT);
        }
    }

    @Test
    void noMorePortalsThanMaxRooms() throws Exception {
        TestBed bed = TestBed.get();
        Path config = configure(bed, "dynmax", """
                      dynamic-channels:
                        max-rooms: 1
                        require-existing: false
                        new-rooms-per-minute: 1000
                """, "");
        try (BridgeProcess bridge = BridgeProcess.start(config)) {
            MatrixTestClient user = MatrixTestClient.register(bed, bed.uniqueName("mx"));
            user.join(alias(bed, "#" + bed.uniqueName("mr")));
            assertEquals(404, tryJoin(user, alias(bed, "#" + bed.uniqueName("mr"))), "max-rooms reached");
        }
    }

    @Test
    void newPortalsAndGhostsAtABoundedRate() throws Exception {
        TestBed bed = TestBed.get();
        Path config = configure(bed, "dynrate", """
                      dynamic-channels:
                        require-existing: false
                        new-rooms-per-minute: 1
                """, "  ghost-queries-per-minute: 1\n");
        try (BridgeProcess bridge = BridgeProcess.start(config)) {
            MatrixTestClient user = MatrixTestClient.register(bed, bed.uniqueName("mx"));
            String first = "#" + bed.uniqueName("rt");
            user.join(alias(bed, first));
            assertEquals(404, tryJoin(user, alias(bed, "#" + bed.uniqueName("rt"))), "one new room a minute");
            user.join(alias(bed, first)); // an existing portal is no new room

            String hsToken = Registration.read(bed.registrationFile()).hsToken();
            String ghost = "@irc_testnet_" + bed.uniqueName("g") + ":" + bed.serverName();
            assertEquals(200, userQuery(bed, hsToken, ghost));
            assertEquals(404, userQuery(bed, hsToken, "@irc_testnet_" + bed.uniqueName("g") + ":" + bed.serverName()),
                    "one ghost a minute");
            assertEquals(200, userQuery(bed, hsToken, ghost), "a registered ghost still exists");
        }
    }

    /** A configuration whose test network has these {@code dynamic-channels} (and these bridge settings). */
    private static Path configure(TestBed bed, String name, String dynamicChannels, String bridgeSettings) throws Exception {
        Path config = TestBridgeConfig.write(bed, name);
        String text = Files.readString(config);
        assertFalse(!text.contains(TestBridgeConfig.DYNAMIC_CHANNELS), "the test configuration has its block");
        text = text.replace(TestBridgeConfig.DYNAMIC_CHANNELS, dynamicChannels)
                .replace("  admins: []\n", "  admins: []\n" + bridgeSettings);
        Files.writeString(config, text);
        return config;
    }

    private static int tryJoin(MatrixTestClient user, String alias) {
        return user.post("join/" + MatrixTestClient.enc(alias), Map.of()).status();
    }

    private static String alias(TestBed bed, String channel) {
        return "#irc_testnet_" + channel.substring(1) + ":" + bed.serverName();
    }

    /** The homeserver's user query, as Synapse makes it (with the hs_token). */
    private static int userQuery(TestBed bed, String hsToken, String userId) throws Exception {
        HttpRequest r = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + bed.bridgePort() + "/_matrix/app/v1/users/"
                + URLEncoder.encode(userId, StandardCharsets.UTF_8))).header("Authorization", "Bearer " + hsToken)
                .timeout(WAIT).GET().build();
        return HttpClient.newHttpClient().send(r, HttpResponse.BodyHandlers.ofString()).statusCode();
    }
}
