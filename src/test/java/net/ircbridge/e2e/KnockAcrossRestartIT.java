package net.ircbridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import net.ircbridge.testbed.Await;
import net.ircbridge.testbed.IrcMessage;
import net.ircbridge.testbed.IrcTestClient;
import net.ircbridge.testbed.MatrixTestClient;
import net.ircbridge.testbed.TestBed;
import org.junit.jupiter.api.Test;

/**
 * A knock still pending when the bridge restarts keeps waiting for an operator's INVITE: its connection comes back
 * (without knocking again), so the INVITE reaches the knocker's nick and becomes a Matrix invite.
 */
class KnockAcrossRestartIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void aKnockPendingAcrossARestartStillTakesTheOperatorsInvite() {
        TestBed bed = TestBed.get();
        Path config = TestBridgeConfig.write(bed, "knockrestart");
        String channel = "#" + bed.uniqueName("knr");
        String alias = "#irc_testnet_" + channel.substring(1) + ":" + bed.serverName();
        String bot = "@ircbridge:" + bed.serverName();
        try (IrcTestClient oper = IrcTestClient.connect(bed, bed.uniqueName("op"))) {
            oper.join(channel);
            MatrixTestClient member = MatrixTestClient.register(bed, bed.uniqueName("mem"));
            MatrixTestClient knocker = MatrixTestClient.register(bed, bed.uniqueName("kn"));
            String room;
            String nick;
            try (BridgeProcess bridge = BridgeProcess.start(config)) {
                room = member.join(alias);
                oper.awaitMessage(m -> m.is("JOIN") && m.sourceNick().endsWith("[m]"), WAIT);
                oper.send("MODE " + channel + " +i");
                member.awaitEvent(room, e -> "m.room.join_rules".equals(e.path("type").asText())
                        && "knock".equals(e.path("content").path("join_rule").asText()), WAIT);
                knocker.post("knock/" + MatrixTestClient.enc(room), Map.of("reason", "let me in")).orThrow("knocking");
                IrcMessage knock = oper.awaitMessage(m -> m.is("710") && m.trailing().contains("let me in"), WAIT);
                nick = knock.param(2).substring(0, knock.param(2).indexOf('!'));
            }
            // The bridge stopped, and the knock's connection with it; the knock is still pending in Matrix.
            try (BridgeProcess bridge = BridgeProcess.start(config)) {
                Await.until(WAIT, nick + " is on IRC again", () -> {
                    oper.send("ISON " + nick);
                    return oper.awaitMessage(m -> m.is("303"), WAIT).trailing().trim().equalsIgnoreCase(nick);
                });
                oper.send("INVITE " + nick + " " + channel);
                assertEquals(room, knocker.awaitInvite(WAIT));
                JsonNode invite = knocker.awaitEvent(room, e -> "m.room.member".equals(e.path("type").asText())
                        && knocker.userId().equals(e.path("state_key").asText())
                        && "invite".equals(e.path("content").path("membership").asText()), WAIT);
                assertEquals(bot, invite.path("sender").asText());
                assertEquals("Invited to " + channel + " by " + oper.nick() + " on IRC", invite.path("content").path("reason").asText());
                knocker.join(room);
                oper.awaitMessage(m -> m.is("JOIN") && nick.equals(m.sourceNick()), WAIT);
                assertTrue(oper.names(channel).contains(nick));
            }
        }
    }
}
