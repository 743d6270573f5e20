package net.ircbridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import net.ircbridge.testbed.Await;
import net.ircbridge.testbed.IrcMessage;
import net.ircbridge.testbed.IrcTestClient;
import net.ircbridge.testbed.MatrixTestClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A knock nobody answers stays pending in Matrix; IRC waits for it for the network's {@code knock-timeout}, then
 * the knock's connection quits.
 */
class UnansweredKnockIT extends OneBridgePerClass {

    @BeforeAll
    static void start() {
        startBridge("unanswered-knock", "knock-timeout: 3s");
    }

    @Test
    void aKnockNobodyAnswersStaysPendingInMatrixAndItsConnectionQuitsAfterTheTimeout() {
        Channel c = channelWithModes("+i", "knock");
        MatrixTestClient member = c.member();
        String room = c.room();
        try (IrcTestClient oper = c.oper()) {
            MatrixTestClient knocker = MatrixTestClient.register(bed, bed.uniqueName("kn"));
            knocker.post("knock/" + MatrixTestClient.enc(room), Map.of("reason", "anyone there?")).orThrow("knocking");
            IrcMessage knock = oper.awaitMessage(m -> m.is("710") && m.trailing().contains("anyone there?"), WAIT);
            String nick = knock.param(2).substring(0, knock.param(2).indexOf('!'));

            Await.until(WAIT, nick + " off IRC after the knock timeout", () -> !oper.whois(nick));
            assertEquals("knock", member.state(room, "m.room.member", knocker.userId()).path("membership").asText());
        }
    }
}
