package net.ircbridge.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import net.ircbridge.testbed.Await;
import net.ircbridge.testbed.IrcTestClient;
import net.ircbridge.testbed.TestBed;
import org.junit.jupiter.api.Test;

/** The bridge bot's own IRC connection, as IRC users see it. */
class IrcBotIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void theBotIsOnTheNetworkComesBackAfterAKillAndQuitsWhenTheBridgeStops() {
        TestBed bed = TestBed.get();
        String nick = bed.uniqueName("Bot");
        Path config = TestBridgeConfig.write(bed, "ircbot", TestBridgeConfig.embeddedDatabase(
                bed.workDir().resolve("bridges/ircbot/data")), nick);
        try (IrcTestClient oper = IrcTestClient.connect(bed, bed.uniqueName("op"))) {
            oper.oper();
            BridgeProcess bridge = BridgeProcess.start(config);
            try {
                Await.until(WAIT, "the bot is on IRC", () -> oper.whois(nick));

                oper.send("KILL " + nick + " :testing reconnects");
                bridge.awaitLog(l -> l.contains("The bot's connection to Test IRC ended"), WAIT);
                Await.until(WAIT, "the bot is back on IRC", () -> oper.whois(nick));
            } finally {
                bridge.stop();
            }
            // The bot quits with a reason instead of vanishing in a ping timeout minutes later.
            Await.until(WAIT, "the bot is gone from IRC", () -> !oper.whois(nick));
            assertTrue(bridge.output().stream().anyMatch(l -> l.contains("The bot is connected to Test IRC as " + nick)),
                    bridge.output()::toString);
        }
    }
}
