package net.ircbridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.ircbridge.testbed.Await;
import net.ircbridge.testbed.IrcMessage;
import net.ircbridge.testbed.IrcTestClient;
import net.ircbridge.testbed.MatrixTestClient;
import net.ircbridge.testbed.TestBed;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A network without KNOCK: the bridge's network is a real ngIRCd (the test bed's {@link TestBed#ngircdPort()}),
 * which answers {@code KNOCK} with 421 (unknown command). A Matrix user's knock on the room of an invite-only
 * channel is declined by the bot, with a reason that says the network cannot take knocks and whom to ask; nothing
 * of it reaches the channel, and the connection made for the knock quits.
 */
class NetworkWithoutKnockIT extends OneBridgePerClass {

    /** The reason of the declined knock: {@code texts.knock-unsupported} with the test network's name. */
    private static final Pattern UNSUPPORTED = Pattern.compile(
            "Test IRC has no KNOCK command, so your knock cannot reach (\\S+)\\. Ask a channel operator to invite (\\S+) on IRC\\.");

    private static int port;

    @BeforeAll
    static void start() {
        bed = TestBed.get();
        port = bed.ngircdPort();
        config = TestBridgeConfig.write(bed, "noknock");
        TestBridgeConfig.useNgircd(bed, config);
        bridge = BridgeProcess.start(config);
        bot = "@ircbridge:" + bed.serverName();
    }

    private static IrcTestClient connect(String nick) {
        return IrcTestClient.connect(bed.ircHost(), port, nick, bed.operName(), bed.operPassword(), WAIT);
    }

    @Test
    void aKnockIsDeclinedSayingTheNetworkHasNoKnockAndNothingReachesTheChannel() {
        String channel = "#" + bed.uniqueName("nok");
        try (IrcTestClient op = connect(bed.uniqueName("op"))) {
            op.join(channel);
            MatrixTestClient member = MatrixTestClient.register(bed, bed.uniqueName("mem"));
            String room = member.join(alias(channel));
            Await.until(WAIT, "the bot and the member on " + channel, () -> op.names(channel).size() >= 3);
            op.send("MODE " + channel + " +i");
            member.awaitEvent(room, e -> "m.room.join_rules".equals(e.path("type").asText())
                    && "knock".equals(e.path("content").path("join_rule").asText()), WAIT);

            MatrixTestClient knocker = MatrixTestClient.register(bed, bed.uniqueName("kn"));
            String reason = "I am a friend of " + op.nick();
            knocker.post("knock/" + MatrixTestClient.enc(room), Map.of("reason", reason)).orThrow("knocking");

            JsonNode declined = awaitMembership(member, room, knocker.userId(), "leave");
            assertEquals(bot, declined.path("sender").asText());
            String why = declined.path("content").path("reason").asText();
            Matcher m = UNSUPPORTED.matcher(why);
            assertTrue(m.matches(), why);
            assertEquals(channel, m.group(1));
            String nick = m.group(2);

            // The connection made for the knock is on no channel and waits for no other knock: it quits.
            Await.until(WAIT, nick + " off IRC", () -> !op.whois(nick));
            // Everything the server sent the operator before this PONG has arrived: no knock, notice or message
            // about it among it (ngIRCd has nothing to tell, and the bridge must not make up for it on the channel).
            op.send("PING :sync");
            op.awaitMessage(x -> x.is("PONG") && x.trailing().equals("sync"), WAIT);
            assertTrue(op.receivedLines().stream().map(IrcMessage::parse).noneMatch(x -> x.is("710") || x.is("NOTICE")
                    || x.is("PRIVMSG") || x.is("INVITE") || x.raw().contains(reason)), () -> String.join("\n", op.receivedLines()));
        }
    }
}
