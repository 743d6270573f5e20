package net.ircbridge.e2e;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import net.ircbridge.testbed.Await;
import net.ircbridge.testbed.IrcMessage;
import net.ircbridge.testbed.IrcTestClient;
import net.ircbridge.testbed.MatrixTestClient;
import net.ircbridge.testbed.TestBed;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A network that lets one connection be on only so many channels (405 "You are on too many channels" beyond that):
 * the portal whose channel the bot cannot join is told so by the bot, the bridge logs it, and the portals the bot
 * is on keep working. The network is an InspIRCd of its own with {@value #MAX_CHANNELS} channels per client
 * connection (the bot is no IRC operator there, so the opers' limit does not apply to it).
 */
class TooManyChannelsIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final int MAX_CHANNELS = 2;

    private static TestBed bed;
    private static TestBed.SeparateIrcServer limited;

    @BeforeAll
    static void startServer() {
        bed = TestBed.get();
        limited = bed.startSeparateIrc("limited", Map.of("INSPIRCD_MAX_CHANNELS", String.valueOf(MAX_CHANNELS)));
    }

    @AfterAll
    static void stopServer() {
        if (limited != null) {
            limited.stop();
        }
    }

    @Test
    void theRoomOfAChannelBeyondTheNetworksLimitIsToldAndTheOtherPortalsKeepWorking() throws Exception {
        String botNick = bed.uniqueName("Bot");
        Path config = TestBridgeConfig.write(bed, "too-many-" + bed.uniqueName("b"), TestBridgeConfig.embeddedDatabase(
                bed.workDir().resolve("bridges").resolve("too-many").resolve("data-" + bed.uniqueName("d"))), botNick);
        String text = Files.readString(config);
        String network = "      host: " + bed.ircHost() + "\n      port: " + bed.ircPort() + "\n";
        assertTrue(text.contains(network), text);
        Files.writeString(config, text.replace(network, "      host: " + bed.ircHost() + "\n      port: " + limited.port() + "\n"));

        String first = "#" + bed.uniqueName("lim");
        String second = "#" + bed.uniqueName("lim");
        String third = "#" + bed.uniqueName("lim");
        String bot = "@ircbridge:" + bed.serverName();
        try (BridgeProcess bridge = BridgeProcess.start(config); IrcTestClient watcher = limited.connect(bed.uniqueName("w"))) {
            bridge.awaitLog(l -> l.contains("The bot is connected to Test IRC as " + botNick), WAIT);
            watcher.join(first);

            // One Matrix user makes two portals: the bot is on as many channels as it may be.
            MatrixTestClient user = MatrixTestClient.register(bed, bed.uniqueName("mx"));
            String firstRoom = user.join(alias(first));
            String puppet = watcher.awaitMessage(m -> m.is("JOIN") && m.sourceNick().endsWith("[m]")
                    && first.equalsIgnoreCase(m.param(0)), WAIT).sourceNick();
            Await.until(WAIT, "the bot is on " + first, () -> watcher.names(first).contains(botNick));
            user.join(alias(second));
            Await.until(WAIT, "the bot is on " + second, () -> watcher.names(second).contains(botNick));

            // Another Matrix user (whose own connection is on no channel yet) makes a third: the network refuses the bot.
            MatrixTestClient other = MatrixTestClient.register(bed, bed.uniqueName("mx"));
            String thirdRoom = other.join(alias(third));
            JsonNode notice = other.awaitEvent(thirdRoom, e -> bot.equals(e.path("sender").asText())
                    && "m.notice".equals(e.path("content").path("msgtype").asText())
                    && e.path("content").path("body").asText().startsWith("The bridge could not join " + third), WAIT);
            String body = notice.path("content").path("body").asText();
            assertTrue(body.contains("Test IRC limits how many channels one connection may be on"), body);
            String logged = bridge.awaitLog(l -> l.contains("refuses the bot on " + third + " (405"), WAIT);
            assertTrue(logged.contains("the network limits channels per connection"), logged);
            assertFalse(watcher.names(third).contains(botNick), "the bot is not on " + third);

            // The portals the bot is on still work: a message from Matrix reaches the first channel.
            user.sendText(firstRoom, "still bridged");
            IrcMessage said = watcher.awaitPrivmsg(first, "still bridged", WAIT);
            assertTrue(said.sourceNick().equalsIgnoreCase(puppet), said.raw());
            assertTrue(watcher.names(first).contains(botNick), "the bot is still on " + first);
        }
    }

    private static String alias(String channel) {
        return "#irc_testnet_" + channel.substring(1) + ":" + bed.serverName();
    }
}
