package net.ircbridge.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import net.ircbridge.testbed.MatrixTestClient;
import net.ircbridge.testbed.TestBed;
import org.junit.jupiter.api.AfterAll;

/**
 * End-to-end tests whose tests share one bridge: a subclass starts it in its {@code @BeforeAll} with
 * {@link #startBridge(String)}; it is stopped after the class's last test. Test classes run one after the other, so
 * the shared fields belong to one class at a time.
 */
abstract class OneBridgePerClass {

    /** When a test fails, the bridge's latest output goes to the test's output: what it did is the first clue. */
    @org.junit.jupiter.api.extension.RegisterExtension
    static final org.junit.jupiter.api.extension.TestWatcher SHOW_BRIDGE_OUTPUT = new org.junit.jupiter.api.extension.TestWatcher() {
        @Override
        public void testFailed(org.junit.jupiter.api.extension.ExtensionContext context, Throwable cause) {
            if (bridge != null) {
                java.util.List<String> output = bridge.output();
                System.err.println("[bridge output, last 200 lines, after " + context.getDisplayName() + "]\n"
                        + String.join("\n", output.subList(Math.max(0, output.size() - 200), output.size())));
            }
        }
    };

    static final Duration WAIT = Duration.ofSeconds(30);

    static TestBed bed;
    static Path config;
    static BridgeProcess bridge;
    static String bot;

    /** Starts a bridge with a fresh configuration of this name (its own data directory). */
    static void startBridge(String name) {
        bed = TestBed.get();
        config = TestBridgeConfig.write(bed, name);
        bridge = BridgeProcess.start(config);
        bot = "@ircbridge:" + bed.serverName();
    }

    /** Waits until the bridge knows that the user joined a room and holds its IRC messages for them. */
    static void awaitHoldFor(net.ircbridge.testbed.MatrixTestClient user) {
        net.ircbridge.testbed.Await.until(WAIT, "the bridge holds messages for " + user.userId(),
                () -> bridge.output().stream().anyMatch(l -> l.contains("until " + user.userId() + " is on")));
    }

    /**
     * Starts a bridge like {@link #startBridge(String)}, with more settings for the test network (YAML keys indented
     * as the network's own, e.g. {@code "send-rate:\n        burst: 20"}).
     */
    static void startBridge(String name, String networkSettings) {
        bed = TestBed.get();
        config = TestBridgeConfig.write(bed, name);
        TestBridgeConfig.networkSetting(config, "channels: []\n      " + networkSettings);
        bridge = BridgeProcess.start(config);
        bot = "@ircbridge:" + bed.serverName();
    }

    @AfterAll
    static void stopBridge() {
        if (bridge != null) {
            bridge.close();
            bridge = null;
        }
    }

    /** The user id of an IRC nick's ghost on the test network. */
    static String ghost(String nick) {
        return "@irc_testnet_" + nick.toLowerCase() + ":" + bed.serverName();
    }

    /** The alias of a channel's portal room on the test network. */
    static String alias(String channel) {
        return "#irc_testnet_" + channel.substring(1) + ":" + bed.serverName();
    }

    /**
     * A Matrix user ({@code user}, nick {@code nick}) in a channel's portal room and on the channel, with the IRC
     * operator ({@code oper}, an oper of the server too) who made the channel. The caller closes {@code oper}.
     */
    record OnChannel(net.ircbridge.testbed.IrcTestClient oper, MatrixTestClient user, String room, String nick, String channel) {
    }

    /** Makes a channel named from {@code prefix} and puts a new Matrix user in its room and on it, as {@link OnChannel}. */
    static OnChannel matrixUserOnChannel(String prefix) {
        String channel = "#" + bed.uniqueName(prefix);
        net.ircbridge.testbed.IrcTestClient oper = net.ircbridge.testbed.IrcTestClient.connect(bed, bed.uniqueName("op"));
        oper.oper();
        oper.join(channel);
        MatrixTestClient user = MatrixTestClient.register(bed, bed.uniqueName("mx"));
        String room = user.join(alias(channel));
        String nick = oper.awaitMessage(m -> m.is("JOIN") && m.sourceNick().endsWith("[m]"), WAIT).sourceNick();
        return new OnChannel(oper, user, room, nick, channel);
    }

    /**
     * A channel whose operator is {@code oper}, with a Matrix user ({@code member}, nick {@code memberNick}) in its room.
     * The caller closes {@code oper}.
     */
    record Channel(net.ircbridge.testbed.IrcTestClient oper, MatrixTestClient member, String memberNick, String room, String name) {
    }

    /** A bridged channel with the given modes set, once its room has the join rule they make. */
    static Channel channelWithModes(String modes, String joinRule) {
        String channel = "#" + bed.uniqueName("knk");
        net.ircbridge.testbed.IrcTestClient oper = net.ircbridge.testbed.IrcTestClient.connect(bed, bed.uniqueName("op"));
        oper.join(channel);
        MatrixTestClient member = MatrixTestClient.register(bed, bed.uniqueName("mem"));
        String room = member.join(alias(channel));
        String memberNick = oper.awaitMessage(m -> m.is("JOIN") && m.sourceNick().endsWith("[m]"), WAIT).sourceNick();
        net.ircbridge.testbed.Await.until(WAIT, "the bot and the member on " + channel, () -> oper.names(channel).size() >= 3);
        oper.send("MODE " + channel + " " + modes);
        member.awaitEvent(room, e -> "m.room.join_rules".equals(e.path("type").asText())
                && joinRule.equals(e.path("content").path("join_rule").asText()), WAIT);
        return new Channel(oper, member, memberNick, room, channel);
    }

    /** Waits for a member event of {@code userId} with this membership in the room, and returns it. */
    static JsonNode awaitMembership(MatrixTestClient user, String room, String userId, String membership) {
        return user.awaitEvent(room, e -> "m.room.member".equals(e.path("type").asText())
                && userId.equals(e.path("state_key").asText())
                && membership.equals(e.path("content").path("membership").asText()), WAIT);
    }
}
