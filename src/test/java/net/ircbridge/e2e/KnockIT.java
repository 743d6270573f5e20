package net.ircbridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Map;
import net.ircbridge.testbed.Await;
import net.ircbridge.testbed.IrcMessage;
import net.ircbridge.testbed.IrcTestClient;
import net.ircbridge.testbed.MatrixTestClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Knocking on a room of an invite-only channel knocks on the channel (InspIRCd's knock module, notify="both"), and
 * every answer comes back: an operator's INVITE becomes the bot's invite with a reason, +K declines the knock, an
 * open channel invites at once; a withdrawn or denied knock leaves nothing on IRC; a Matrix user who is a channel
 * operator inviting another Matrix user INVITEs them on IRC.
 */
class KnockIT extends OneBridgePerClass {

    @BeforeAll
    static void start() {
        startBridge("knock");
    }

    private static void knock(MatrixTestClient user, String room, String reason) {
        user.post("knock/" + MatrixTestClient.enc(room), reason == null ? Map.of() : Map.of("reason", reason)).orThrow("knocking");
    }

    /** The knock the channel's operator sees (710), and the knocker's nick. */
    private static String awaitKnockOnIrc(Channel c, String text) {
        IrcMessage knock = c.oper().awaitMessage(m -> m.is("710") && m.raw().contains(c.name()) && m.trailing().contains(text), WAIT);
        return knock.param(2).substring(0, knock.param(2).indexOf('!'));
    }

    @Test
    void aKnockWithAReasonReachesTheOperatorAndTheirInviteLetsTheMatrixUserIn() {
        Channel c = channelWithModes("+i", "knock");
        try (IrcTestClient oper = c.oper()) {
            MatrixTestClient knocker = MatrixTestClient.register(bed, bed.uniqueName("kn"));
            knock(knocker, c.room(), "I am a friend of alice");
            String nick = awaitKnockOnIrc(c, "is KNOCKing: I am a friend of alice");
            // InspIRCd's notice to the channel's operators says it too.
            oper.awaitMessage(m -> m.is("NOTICE") && m.trailing().contains(nick) && m.trailing().contains("I am a friend of alice"), WAIT);

            oper.send("INVITE " + nick + " " + c.name());
            JsonNode invite = awaitMembership(c.member(), c.room(), knocker.userId(), "invite");
            assertEquals(bot, invite.path("sender").asText());
            assertEquals("Invited to " + c.name() + " by " + oper.nick() + " on IRC", invite.path("content").path("reason").asText());

            assertEquals(c.room(), knocker.awaitInvite(WAIT));
            knocker.join(c.room());
            oper.awaitMessage(m -> m.is("JOIN") && nick.equals(m.sourceNick()), WAIT);
            assertTrue(oper.names(c.name()).contains(nick));
        }
    }

    @Test
    void aChannelThatTakesNoKnocksDeclinesTheKnockSayingWhy() {
        Channel c = channelWithModes("+iK", "knock");
        try (IrcTestClient oper = c.oper()) {
            MatrixTestClient knocker = MatrixTestClient.register(bed, bed.uniqueName("kn"));
            knock(knocker, c.room(), "please");
            JsonNode declined = awaitMembership(c.member(), c.room(), knocker.userId(), "leave");
            assertEquals(bot, declined.path("sender").asText());
            String reason = declined.path("content").path("reason").asText();
            assertTrue(reason.startsWith(c.name() + " on Test IRC does not take knocks (") && reason.contains("Ask a channel operator to invite"),
                    reason);
        }
    }

    @Test
    void aKnockOnAChannelThatIsNotInviteOnlyIsAnsweredWithAnInvite() {
        // +k makes the room take knocks, but the channel is not invite-only, so the server says knocking is pointless.
        Channel c = channelWithModes("+k sesame", "knock");
        try (IrcTestClient oper = c.oper()) {
            MatrixTestClient knocker = MatrixTestClient.register(bed, bed.uniqueName("kn"));
            knock(knocker, c.room(), null);
            JsonNode invite = awaitMembership(c.member(), c.room(), knocker.userId(), "invite");
            assertEquals(bot, invite.path("sender").asText());
            assertEquals(c.name() + " on Test IRC is not invite-only: come in.", invite.path("content").path("reason").asText());
        }
    }

    @Test
    void aWithdrawnKnockWithoutAReasonLeavesNothingOnIrc() {
        Channel c = channelWithModes("+i", "knock");
        try (IrcTestClient oper = c.oper()) {
            MatrixTestClient knocker = MatrixTestClient.register(bed, bed.uniqueName("kn"));
            knock(knocker, c.room(), null);
            String nick = awaitKnockOnIrc(c, "is KNOCKing: " + knocker.userId() + " knocked from Matrix");
            assertTrue(oper.whois(nick));

            knocker.leave(c.room());
            Await.until(WAIT, nick + " off IRC", () -> !oper.whois(nick));
        }
    }

    @Test
    void aKnockDeniedByAModeratorLeavesNothingOnIrc() {
        Channel c = channelWithModes("+i", "knock");
        try (IrcTestClient oper = c.oper()) {
            // The member becomes a channel operator, so a moderator of the room (power 50).
            oper.send("MODE " + c.name() + " +o " + c.memberNick());
            c.member().awaitEvent(c.room(), e -> "m.room.power_levels".equals(e.path("type").asText())
                    && e.path("content").path("users").path(c.member().userId()).asInt() == 50, WAIT);
            MatrixTestClient knocker = MatrixTestClient.register(bed, bed.uniqueName("kn"));
            knock(knocker, c.room(), "hello?");
            String nick = awaitKnockOnIrc(c, "hello?");

            c.member().post("rooms/" + MatrixTestClient.enc(c.room()) + "/kick",
                    Map.of("user_id", knocker.userId(), "reason", "not today")).orThrow("denying the knock");
            Await.until(WAIT, nick + " off IRC", () -> !oper.whois(nick));
        }
    }

    @Test
    void aMatrixUserWhoIsAChannelOperatorInvitingAnotherInvitesThemOnIrcToo() {
        Channel c = channelWithModes("+i", "knock");
        try (IrcTestClient oper = c.oper()) {
            oper.send("MODE " + c.name() + " +o " + c.memberNick());
            c.member().awaitEvent(c.room(), e -> "m.room.power_levels".equals(e.path("type").asText())
                    && e.path("content").path("users").path(c.member().userId()).asInt() == 50, WAIT);
            MatrixTestClient guest = MatrixTestClient.register(bed, bed.uniqueName("gst"));
            c.member().invite(c.room(), guest.userId());
            // InspIRCd tells the channel's operators of the INVITE (announceinvites="dynamic").
            IrcMessage announced = oper.awaitMessage(m -> m.is("NOTICE") && m.trailing().contains(c.memberNick() + " invited "), WAIT);
            String guestNick = announced.trailing().replaceFirst(".* invited (\\S+) into the channel.*", "$1");

            assertEquals(c.room(), guest.awaitInvite(WAIT));
            guest.join(c.room());
            oper.awaitMessage(m -> m.is("JOIN") && guestNick.equals(m.sourceNick()), WAIT);
        }
    }

    @Test
    void aKnockReasonCannotCarryAnIrcCommand() {
        Channel c = channelWithModes("+i", "knock");
        try (IrcTestClient oper = c.oper()) {
            MatrixTestClient knocker = MatrixTestClient.register(bed, bed.uniqueName("kn"));
            knock(knocker, c.room(), "let me in\r\nPRIVMSG " + c.name() + " :injected\u0000");
            String nick = awaitKnockOnIrc(c, "is KNOCKing: let me in PRIVMSG " + c.name() + " :injected");
            oper.send("INVITE " + nick + " " + c.name());
            awaitMembership(c.member(), c.room(), knocker.userId(), "invite");
            // The reason arrived as one line's text: no PRIVMSG of its own reached the channel.
            assertTrue(oper.receivedLines().stream().map(IrcMessage::parse).noneMatch(m -> m.is("PRIVMSG")),
                    () -> String.join("\n", oper.receivedLines()));
        }
    }
}
