package net.ircbridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.ircbridge.testbed.Await;
import net.ircbridge.testbed.IrcMessage;
import net.ircbridge.testbed.IrcTestClient;
import net.ircbridge.testbed.MatrixTestClient;
import net.ircbridge.testbed.TestBed;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A burst of Matrix messages against a server with flood control (the test bed's strict port): the bridge's token
 * bucket spreads the lines, so none is lost, they keep their order, and the server never disconnects the user for
 * "Excess Flood".
 */
class FloodControlIT extends OneBridgePerClass {

    /** Within the strict port's limits: a burst of 3, then 2.5 lines a second (the server allows 4). */
    private static final String SEND_RATE = "send-rate:\n        burst: 3\n        interval-millis: 400";

    @BeforeAll
    static void start() throws Exception {
        bed = TestBed.get();
        config = TestBridgeConfig.write(bed, "flood");
        TestBridgeConfig.networkSetting(config, "channels: []\n      " + SEND_RATE);
        Files.writeString(config, Files.readString(config).replace("port: " + bed.ircPort() + "\n", "port: " + bed.strictIrcPort() + "\n"));
        bridge = BridgeProcess.start(config);
        bot = "@ircbridge:" + bed.serverName();
    }

    @Test
    void theStrictPortDisconnectsAClientThatFloods() {
        IrcTestClient flooder = IrcTestClient.connect(bed.ircHost(), bed.strictIrcPort(), bed.uniqueName("fl"), bed.operName(),
                bed.operPassword(), WAIT);
        try {
            try {
                for (int i = 0; i < TestBed.STRICT_THRESHOLD + 5; i++) {
                    flooder.send("PRIVMSG " + flooder.nick() + " :flood " + i);
                }
            } catch (IllegalStateException closedByTheServer) {
                // the server may close the connection before the last lines are written
            }
            IrcMessage error = flooder.awaitMessage(m -> m.is("ERROR"), WAIT);
            assertTrue(error.trailing().contains("Excess Flood"), error.raw());
        } finally {
            flooder.close();
        }
    }

    @Test
    void aBurstOfAHundredMatrixMessagesReachesTheChannelInOrderWithoutExcessFlood() {
        String channel = "#" + bed.uniqueName("flood");
        try (IrcTestClient watcher = IrcTestClient.connect(bed, bed.uniqueName("w"))) {
            watcher.join(channel);
            MatrixTestClient user = MatrixTestClient.register(bed, bed.uniqueName("mx"));
            String room = user.join(alias(channel));
            String nick = watcher.awaitMessage(m -> m.is("JOIN") && m.sourceNick().endsWith("[m]"), WAIT).sourceNick();

            for (int i = 0; i < 100; i++) {
                user.sendText(room, "burst " + i);
            }
            List<String> seen = new ArrayList<>();
            List<String> expected = new ArrayList<>();
            Duration slowest = Duration.ofSeconds(100 / 2 + 30);
            for (int i = 0; i < 100; i++) {
                expected.add("burst " + i);
                IrcMessage m = watcher.awaitMessage(x -> (x.is("PRIVMSG") && x.trailing().startsWith("burst "))
                        || (x.is("QUIT") && nick.equals(x.sourceNick())), slowest);
                assertTrue(m.is("PRIVMSG"), "the user's connection quit: " + m.raw());
                assertEquals(nick, m.sourceNick());
                seen.add(m.trailing());
            }
            assertEquals(expected, seen);
            assertTrue(watcher.whois(nick), nick + " is still connected");
            Await.until(WAIT, "the user is still in the room", () -> user.members(room).contains(user.userId()));
        }
    }
}
