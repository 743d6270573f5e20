package net.ircbridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import net.ircbridge.testbed.IrcTestClient;
import net.ircbridge.testbed.MatrixTestClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A Matrix user whom the channel doesn't have may not stay in its room: a kick or ban on IRC is a plain kick in
 * Matrix, and a refused JOIN is a kick (banned) or a soft kick (invite-only, key, full, registered-only) whose
 * reason says which and what to do.
 */
class ChannelRefusalsIT extends OneBridgePerClass {

    @BeforeAll
    static void start() {
        startBridge("refusals");
    }

    @Test
    void aBanAndKickOnIrcKicksTheMatrixUserWithoutTheSoftKickKeyAndTheBanKeepsThemOut() {
        OnChannel on = matrixUserOnChannel("ban");
        try (IrcTestClient oper = on.oper()) {
            oper.send("MODE " + on.channel() + " +b " + on.nick() + "!*@*");
            oper.send("KICK " + on.channel() + " " + on.nick() + " :no lurkers here");

            JsonNode kick = awaitMembership(on.user(), on.room(), on.user().userId(), "leave");
            assertFalse(kick.path("content").has("org.matrix.msc3217.softkick"), kick::toString);
            assertTrue(kick.path("content").path("reason").asText().contains("no lurkers here"), kick::toString);
            assertTrue(java.util.Set.of(ghost(oper.nick()), bot).contains(kick.path("sender").asText()),
                    "the kicker's ghost (or the bot for it) kicks: " + kick);

            // Coming back to the room: the channel's ban refuses the JOIN (474), and the bot kicks again, saying so.
            on.user().join(on.room());
            JsonNode banned = on.user().awaitEvent(on.room(), e -> "m.room.member".equals(e.path("type").asText())
                    && on.user().userId().equals(e.path("state_key").asText()) && "leave".equals(e.path("content").path("membership").asText())
                    && bot.equals(e.path("sender").asText()), WAIT);
            assertFalse(banned.path("content").has("org.matrix.msc3217.softkick"), banned::toString);
            String reason = banned.path("content").path("reason").asText();
            assertTrue(reason.startsWith("You are banned from " + on.channel() + " on Test IRC (") && reason.contains("lift the ban"), reason);
            assertFalse(oper.names(on.channel()).contains(on.nick()));
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "+i          | is invite-only. Knock on this room or ask a channel operator to invite",
            "+k secret   | needs a key, which the bridge cannot give.",
            "+l 2        | is full. Join this room again later.",
            "+R          | admits only users identified to an account. Identify"})
    void aChannelThatRefusesTheJoinSoftKicksWithAReasonThatSaysWhy(String mode, String says) {
        String channel = "#" + bed.uniqueName("ref");
        try (IrcTestClient oper = IrcTestClient.connect(bed, bed.uniqueName("op"))) {
            oper.oper();
            oper.join(channel);
            // The room exists and the bot is on the channel before the mode is set.
            MatrixTestClient first = MatrixTestClient.register(bed, bed.uniqueName("mx"));
            String room = first.join(alias(channel));
            String firstNick = oper.awaitMessage(m -> m.is("JOIN") && m.sourceNick().endsWith("[m]"), WAIT).sourceNick();
            // The room of a +i, +k or +R channel takes knocks or is restricted, so the user comes with an invite, made
            // while the channel is still open (nothing to INVITE on IRC then) by a member with the power to invite
            // (a channel operator). A message after it shows the bridge has handled the invite.
            oper.send("MODE " + channel + " +o " + firstNick);
            first.awaitEvent(room, e -> "m.room.power_levels".equals(e.path("type").asText())
                    && e.path("content").path("users").path(first.userId()).asInt() == 50, WAIT);
            MatrixTestClient user = MatrixTestClient.register(bed, bed.uniqueName("mx"));
            first.invite(room, user.userId());
            first.sendText(room, "welcome");
            oper.awaitPrivmsg(channel, "welcome", WAIT);
            oper.send("MODE " + channel + " " + mode);
            oper.awaitMessage(m -> m.is("MODE") && channel.equalsIgnoreCase(m.param(0)) && !m.raw().contains("+o"), WAIT);

            user.join(room);
            JsonNode kick = user.awaitEvent(room, e -> "m.room.member".equals(e.path("type").asText())
                    && user.userId().equals(e.path("state_key").asText()) && "leave".equals(e.path("content").path("membership").asText()), WAIT);
            assertEquals(bot, kick.path("sender").asText());
            assertTrue(kick.path("content").path("org.matrix.msc3217.softkick").asBoolean(), kick::toString);
            String reason = kick.path("content").path("reason").asText();
            assertTrue(reason.startsWith(channel + " on Test IRC " + says.strip()), reason);
        }
    }
}
