package net.ircbridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import net.ircbridge.testbed.Await;
import net.ircbridge.testbed.IrcTestClient;
import net.ircbridge.testbed.MatrixTestClient;
import net.ircbridge.testbed.TestBed;
import org.junit.jupiter.api.Test;

/** A netsplit between two linked InspIRCd servers, seen from the bridge on one side. */
class NetsplitIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void usersBackFromANetsplitInTimeNeverLeaveAndTheOthersLeaveWithTheSplitReason() throws Exception {
        TestBed bed = TestBed.get();
        TestBed.LeafServer leaf = bed.startLeaf();
        Path config = TestBridgeConfig.write(bed, "netsplit");
        TestBridgeConfig.networkSetting(config, "netsplit-wait-seconds: 5");
        String channel = "#" + bed.uniqueName("split");
        try (BridgeProcess bridge = BridgeProcess.start(config);
                IrcTestClient returns = leaf.connect(bed.uniqueName("back"));
                IrcTestClient gone = leaf.connect(bed.uniqueName("gone"))) {
            returns.join(channel);
            gone.join(channel);
            MatrixTestClient user = MatrixTestClient.register(bed, bed.uniqueName("mx"));
            String room = user.join("#irc_testnet_" + channel.substring(1) + ":" + bed.serverName());
            String ghostReturns = "@irc_testnet_" + returns.nick() + ":" + bed.serverName();
            String ghostGone = "@irc_testnet_" + gone.nick() + ":" + bed.serverName();
            Await.until(WAIT, "both leaf users' ghosts are in the room", () -> user.members(room).containsAll(List.of(ghostReturns, ghostGone)));

            bed.split();
            gone.quit("not coming back");
            bed.heal();

            JsonNode left;
            try {
                left = user.awaitEvent(room, e -> ghostGone.equals(e.path("state_key").asText())
                        && "leave".equals(e.path("content").path("membership").asText()), WAIT);
            } catch (AssertionError e) {
                throw new AssertionError(e.getMessage() + "\nthe bridge said:\n" + String.join("\n", bridge.output()), e);
            }
            assertEquals(bed.splitQuitReason(), left.path("content").path("reason").asText());
            assertTrue(user.members(room).contains(ghostReturns));
            long returnsEvents = user.roomMessages(room).stream()
                    .filter(e -> "m.room.member".equals(e.path("type").asText()) && ghostReturns.equals(e.path("state_key").asText()))
                    .count();
            assertEquals(1, returnsEvents, "the returning user's ghost joined once and never left");
        }
    }
}
