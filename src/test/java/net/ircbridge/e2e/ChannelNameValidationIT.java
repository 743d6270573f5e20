package net.ircbridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import net.ircbridge.store.Database;
import net.ircbridge.store.PortalRoomStore;
import net.ircbridge.testbed.Await;
import net.ircbridge.testbed.IrcTestClient;
import net.ircbridge.testbed.MatrixTestClient;
import net.ircbridge.testbed.TestBed;
import org.junit.jupiter.api.Test;

/**
 * An alias whose escapes unescape to bytes no channel name may hold ({@code =00} NUL, {@code =0a} LF, {@code =20}
 * space, {@code =2c} comma) makes no portal, and one such name, even stored before names were checked, never stops
 * the bot from (re)joining every other bridged channel.
 */
class ChannelNameValidationIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final List<String> POISON = List.of("=00", "=0a", "=20", "=2c", "=07");

    @Test
    void refusesAliasesOfBadChannelNamesAndTheBotStillRejoinsEveryOtherChannelAfterAnIrcRestart() throws Exception {
        TestBed bed = TestBed.get();
        String botNick = bed.uniqueName("Nb");
        Path config = TestBridgeConfig.write(bed, "names", TestBridgeConfig.embeddedDatabase(
                bed.workDir().resolve("bridges").resolve("names").resolve("data")), botNick);
        List<String> channels = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            channels.add("#" + bed.uniqueName("nv"));
        }
        MatrixTestClient user = MatrixTestClient.register(bed, bed.uniqueName("mx"));
        try (BridgeProcess bridge = BridgeProcess.start(config)) {
            // Half the good portals before the poisoned aliases, half after: neither side may be blocked.
            for (String channel : channels.subList(0, 3)) {
                user.join(alias(bed, channel));
            }
            for (String escape : POISON) {
                String poisoned = "#irc_testnet_" + bed.uniqueName("px") + escape + ":" + bed.serverName();
                MatrixTestClient.Response refused = user.post("join/" + MatrixTestClient.enc(poisoned), Map.of());
                assertEquals(404, refused.status(), poisoned + " is no channel: " + refused.body());
            }
            for (String channel : channels.subList(3, 6)) {
                user.join(alias(bed, channel));
            }
            awaitBotOnEvery(bed, channels, botNick);

            bed.restartIrc();
            awaitBotOnEvery(bed, channels, botNick);
        }
    }

    @Test
    void aPortalStoredWithABadNameIsSkippedAtStartAndBlocksNoOther() throws Exception {
        TestBed bed = TestBed.get();
        String botNick = bed.uniqueName("Ns");
        Path data = bed.workDir().resolve("bridges").resolve("storedname").resolve("data");
        Path config = TestBridgeConfig.write(bed, "storedname", TestBridgeConfig.embeddedDatabase(data), botNick);
        List<String> channels = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            channels.add("#" + bed.uniqueName("ns"));
        }
        MatrixTestClient user = MatrixTestClient.register(bed, bed.uniqueName("mx"));
        try (BridgeProcess bridge = BridgeProcess.start(config)) {
            for (String channel : channels) {
                user.join(alias(bed, channel));
            }
            awaitBotOnEvery(bed, channels, botNick);
        }
        // What a bridge before the check could have stored for #irc_testnet_x=00: a portal for "#x\0".
        String room = user.createRoom(Map.of("preset", "private_chat"));
        try (Database db = Database.embedded(data, 1)) {
            new PortalRoomStore(db).put(new PortalRoomStore.PortalRoom(TestBridgeConfig.NETWORK, "#" + bed.uniqueName("bad") + "\0",
                    room, "#irc_testnet_bad=00:" + bed.serverName()));
        }
        try (BridgeProcess bridge = BridgeProcess.start(config)) {
            bridge.awaitLog(l -> l.contains("Skipping the portal " + room), WAIT);
            awaitBotOnEvery(bed, channels, botNick);
        }
    }

    private static String alias(TestBed bed, String channel) {
        return "#irc_testnet_" + channel.substring(1) + ":" + bed.serverName();
    }

    private static void awaitBotOnEvery(TestBed bed, List<String> channels, String botNick) {
        try (IrcTestClient look = IrcTestClient.connect(bed, bed.uniqueName("look"))) {
            for (String channel : channels) {
                Await.until(WAIT, botNick + " is on " + channel, () -> look.names(channel).contains(botNick));
            }
        }
    }
}
