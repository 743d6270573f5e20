package net.ircbridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import net.ircbridge.testbed.Await;
import net.ircbridge.testbed.IrcTestClient;
import net.ircbridge.testbed.MatrixTestClient;
import net.ircbridge.testbed.TestBed;
import org.junit.jupiter.api.Test;

/**
 * {@code bridge.allowed-homeservers} holds on every path that could give a Matrix user an IRC connection, not only on
 * joins: a knock (sent at once, or still pending when the bridge restarts under a configuration that no longer serves
 * the knocker) is declined with the reason, and nothing of the knocker reaches IRC: no connection, no KNOCK with their
 * text, no nick an operator could INVITE. The test bed has one homeserver ({@code localhost}); a bridge that serves
 * only {@code elsewhere.example} serves none of its users.
 */
class DisallowedUsersNeverReachIrcIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final TestBed BED = TestBed.get();
    private static final String BOT = "@ircbridge:" + BED.serverName();
    private static final String REFUSAL = "This bridge serves only users of its allowed homeservers.";

    private static String alias(String channel) {
        return "#irc_testnet_" + channel.substring(1) + ":" + BED.serverName();
    }

    private static void serveOnlyElsewhere(Path config) throws IOException {
        Files.writeString(config, Files.readString(config).replace("  admins: []\n", "  admins: []\n  allowed-homeservers: [elsewhere.example]\n"));
    }

    /** An IRC operator who sees every client connecting to the server (snomask c) from now on. */
    private static IrcTestClient operSeeingConnections(String name) {
        IrcTestClient oper = IrcTestClient.connect(BED, BED.uniqueName(name));
        oper.oper();
        oper.send("MODE " + oper.nick() + " +s +c");
        oper.awaitMessage(m -> m.is("MODE") && oper.nick().equalsIgnoreCase(m.param(0)) && m.raw().contains("+s"), WAIT);
        return oper;
    }

    /** The user's own leave (a kick by the bot, which is how Matrix declines a knock), not seen before. */
    private static JsonNode awaitRemovedByTheBot(MatrixTestClient user, String room) {
        return user.awaitEvent(room, e -> "m.room.member".equals(e.path("type").asText())
                && user.userId().equals(e.path("state_key").asText()) && BOT.equals(e.path("sender").asText())
                && "leave".equals(e.path("content").path("membership").asText()), WAIT);
    }

    /**
     * Nothing the oper received since line {@code from} names the user (their nick and ident are made from their
     * localpart): no connection notice, no KNOCK, nothing with their text. The server's answers to the test's own
     * questions about the nick (401, 318) are left out.
     */
    private static void assertNothingOfOnIrc(IrcTestClient oper, int from, MatrixTestClient user, String text) {
        // A PING answered means the server has sent the oper everything before it.
        oper.send("PING :barrier");
        oper.awaitMessage(m -> m.is("PONG") && m.raw().contains("barrier"), WAIT);
        String localpart = user.userId().substring(1, user.userId().indexOf(':'));
        List<String> lines = oper.receivedLines();
        List<String> naming = lines.subList(Math.min(from, lines.size()), lines.size()).stream()
                .filter(l -> l.toLowerCase(java.util.Locale.ROOT).contains(localpart) || l.contains(text))
                .filter(l -> !l.matches("^:\\S+ (401|318) .*"))
                .toList();
        assertEquals(List.of(), naming, "lines about " + user.userId() + " on IRC");
    }

    @Test
    void aKnockFromAUserTheBridgeDoesNotServeIsDeclinedWithTheReasonAndNeitherConnectsNorKnocksOnIrc() throws Exception {
        Path config = TestBridgeConfig.write(BED, "disallowed-knock");
        serveOnlyElsewhere(config);
        String channel = "#" + BED.uniqueName("dk");
        String secret = "let me in " + BED.uniqueName("txt");
        try (IrcTestClient oper = operSeeingConnections("op");
                BridgeProcess bridge = BridgeProcess.start(config)) {
            oper.join(channel);
            int from = oper.receivedLines().size();
            MatrixTestClient stranger = MatrixTestClient.register(BED, BED.uniqueName("str"));
            // Joining makes the portal room (the bot goes on the channel) and is refused, as before.
            String room = stranger.join(alias(channel));
            assertEquals(REFUSAL, awaitRemovedByTheBot(stranger, room).path("content").path("reason").asText());
            Await.until(WAIT, "the bot on " + channel, () -> oper.names(channel).size() >= 2);

            oper.send("MODE " + channel + " +i");
            // The room takes knocks once the bot has followed +i; a knock on it before then is refused and changes nothing.
            Await.until(WAIT, "the stranger's knock is taken", () -> stranger.post("knock/" + MatrixTestClient.enc(room),
                    Map.of("reason", secret)).ok());
            JsonNode declined = awaitRemovedByTheBot(stranger, room);
            assertEquals(REFUSAL, declined.path("content").path("reason").asText());

            // An operator's INVITE of the nick the stranger would have finds nobody, so no Matrix invite can follow.
            String nick = stranger.userId().substring(1, stranger.userId().indexOf(':')) + "[m]";
            oper.send("INVITE " + nick + " " + channel);
            oper.awaitMessage(m -> m.is("401") && nick.equalsIgnoreCase(m.param(1)), WAIT);
            assertNothingOfOnIrc(oper, from, stranger, secret);
            assertFalse(oper.names(channel).stream().anyMatch(n -> n.endsWith("[m]")), "nobody from Matrix on the channel");
        }
    }

    @Test
    void aKnockPendingWhenTheBridgeRestartsNoLongerServingTheKnockerIsDeclinedAndGetsNoConnectionBack() throws Exception {
        Path config = TestBridgeConfig.write(BED, "disallowed-after-restart");
        String channel = "#" + BED.uniqueName("dr");
        String secret = "knocking " + BED.uniqueName("txt");
        try (IrcTestClient oper = operSeeingConnections("op")) {
            oper.join(channel);
            MatrixTestClient member = MatrixTestClient.register(BED, BED.uniqueName("mem"));
            MatrixTestClient knocker = MatrixTestClient.register(BED, BED.uniqueName("kn"));
            // Served at first: the knock reaches the channel's operator and waits for an INVITE.
            PendingKnock pending = PendingKnock.leftByABridge(config, oper, channel, alias(channel), member, knocker, secret, WAIT);
            String room = pending.room();
            String knockerNick = pending.nick();
            Await.until(WAIT, knockerNick + " has left IRC with the bridge", () -> !oper.whois(knockerNick));
            int from = oper.receivedLines().size();

            // Restarted serving only another homeserver: the knock still pending in Matrix is declined, saying why.
            serveOnlyElsewhere(config);
            try (BridgeProcess bridge = BridgeProcess.start(config)) {
                JsonNode declined = awaitRemovedByTheBot(knocker, room);
                assertEquals(REFUSAL, declined.path("content").path("reason").asText());
                assertFalse(oper.whois(knockerNick), knockerNick + " is not on IRC again");
                assertNothingOfOnIrc(oper, from, knocker, secret);
            }
        }
    }
}
