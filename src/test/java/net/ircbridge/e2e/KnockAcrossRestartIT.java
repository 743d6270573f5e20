package net.ircbridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.time.Duration;
import net.ircbridge.testbed.Await;
import net.ircbridge.testbed.IrcTestClient;
import net.ircbridge.testbed.MatrixTestClient;
import net.ircbridge.testbed.TestBed;
import org.junit.jupiter.api.Test;

/**
 * Invite-only channels across a restart of the bridge. A knock still pending keeps waiting for an operator's INVITE:
 * its connection comes back (without knocking again), so the INVITE reaches the knocker's nick and becomes a Matrix
 * invite. A member who was on the channel is let back in by the bot when it is a channel operator there; when it is
 * not, the refused JOIN (473) is a soft kick that says why.
 */
class KnockAcrossRestartIT {

    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final TestBed BED = TestBed.get();
    private static final String BOT = "@ircbridge:" + BED.serverName();

    private static String alias(String channel) {
        return "#irc_testnet_" + channel.substring(1) + ":" + BED.serverName();
    }

    @Test
    void aKnockPendingAcrossARestartStillTakesTheOperatorsInvite() {
        TestBed bed = BED;
        Path config = TestBridgeConfig.write(bed, "knockrestart");
        String channel = "#" + bed.uniqueName("knr");
        try (IrcTestClient oper = IrcTestClient.connect(bed, bed.uniqueName("op"))) {
            oper.join(channel);
            MatrixTestClient member = MatrixTestClient.register(bed, bed.uniqueName("mem"));
            MatrixTestClient knocker = MatrixTestClient.register(bed, bed.uniqueName("kn"));
            PendingKnock pending = PendingKnock.leftByABridge(config, oper, channel, alias(channel), member, knocker, "let me in", WAIT);
            String room = pending.room();
            String nick = pending.nick();
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
                assertEquals(BOT, invite.path("sender").asText());
                assertEquals("Invited to " + channel + " by " + oper.nick() + " on IRC", invite.path("content").path("reason").asText());
                knocker.join(room);
                oper.awaitMessage(m -> m.is("JOIN") && nick.equals(m.sourceNick()), WAIT);
                assertTrue(oper.names(channel).contains(nick));

                // The member, back after the restart, found the channel invite-only and the bot without operator status.
                JsonNode softKick = member.awaitEvent(room, e -> "m.room.member".equals(e.path("type").asText())
                        && member.userId().equals(e.path("state_key").asText())
                        && "leave".equals(e.path("content").path("membership").asText()), WAIT);
                assertTrue(softKick.path("content").path("org.matrix.msc3217.softkick").asBoolean(), softKick::toString);
                assertTrue(softKick.path("content").path("reason").asText().startsWith(channel + " on Test IRC is invite-only."),
                        softKick::toString);
            }
        }
    }

    @Test
    void aMemberWhoseConnectionDroppedIsLetBackOnAnInviteOnlyChannelByTheBotAsChannelOperator() {
        TestBed bed = BED;
        Path config = TestBridgeConfig.write(bed, "inviteonlyback");
        String channel = "#" + bed.uniqueName("iob");
        try (IrcTestClient oper = IrcTestClient.connect(bed, bed.uniqueName("op"));
                BridgeProcess bridge = BridgeProcess.start(config)) {
            oper.oper();
            oper.join(channel);
            MatrixTestClient member = MatrixTestClient.register(bed, bed.uniqueName("mem"));
            String room = member.join(alias(channel));
            String nick = oper.awaitMessage(m -> m.is("JOIN") && m.sourceNick().endsWith("[m]"), WAIT).sourceNick();
            String botNick = oper.names(channel).stream().filter(n -> n.startsWith("bot")).findFirst().orElseThrow();
            oper.send("MODE " + channel + " +o " + botNick);
            oper.send("MODE " + channel + " +i");
            member.awaitEvent(room, e -> "m.room.join_rules".equals(e.path("type").asText())
                    && "knock".equals(e.path("content").path("join_rule").asText()), WAIT);

            oper.send("KILL " + nick + " :connection trouble");
            JsonNode softKick = member.awaitEvent(room, e -> member.userId().equals(e.path("state_key").asText())
                    && "leave".equals(e.path("content").path("membership").asText()), WAIT);
            assertTrue(softKick.path("content").path("org.matrix.msc3217.softkick").asBoolean(), softKick::toString);

            // The bridge reconnects (after its backoff): refused at first (473), invited by the bot, on the channel
            // again, and then invited back in Matrix.
            oper.awaitMessage(m -> m.is("JOIN") && nick.equals(m.sourceNick()), WAIT.multipliedBy(2));
            assertEquals(room, member.awaitInvite(WAIT));
            JsonNode invite = member.awaitEvent(room, e -> member.userId().equals(e.path("state_key").asText())
                    && "invite".equals(e.path("content").path("membership").asText()), WAIT);
            assertEquals(BOT, invite.path("sender").asText());
            member.join(room);
            member.sendText(room, "back again");
            assertEquals("back again", oper.awaitMessage(m -> m.is("PRIVMSG") && nick.equals(m.sourceNick()), WAIT).trailing());
        }
    }
}
