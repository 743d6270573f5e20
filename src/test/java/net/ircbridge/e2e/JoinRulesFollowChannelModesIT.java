package net.ircbridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import net.ircbridge.testbed.Await;
import net.ircbridge.testbed.IrcTestClient;
import net.ircbridge.testbed.MatrixTestClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A room's join rule follows its channel's modes: +i and +k make it {@code knock}, and taking them away brings the
 * network's default ({@code public}) back; the bot makes the change and says in the room who set the mode on IRC.
 */
class JoinRulesFollowChannelModesIT extends OneBridgePerClass {

    @BeforeAll
    static void start() {
        startBridge("joinrules");
    }

    /** Waits for the join rule to change from one rule to another (not for the rule the room was made with). */
    private static JsonNode awaitJoinRule(MatrixTestClient user, String room, String from, String to) {
        return user.awaitEvent(room, e -> "m.room.join_rules".equals(e.path("type").asText())
                && from.equals(e.path("unsigned").path("prev_content").path("join_rule").asText())
                && to.equals(e.path("content").path("join_rule").asText()), WAIT);
    }

    private static String awaitNotice(MatrixTestClient user, String room, String containing) {
        return user.awaitEvent(room, e -> "m.room.message".equals(e.path("type").asText())
                && "m.notice".equals(e.path("content").path("msgtype").asText())
                && e.path("content").path("body").asText().contains(containing), WAIT).path("content").path("body").asText();
    }

    @Test
    void inviteOnlyAndKeyedChannelsMakeKnockRoomsAndOpeningThemBringsTheDefaultBack() {
        String channel = "#" + bed.uniqueName("modes");
        try (IrcTestClient oper = IrcTestClient.connect(bed, bed.uniqueName("op"))) {
            oper.join(channel);
            MatrixTestClient user = MatrixTestClient.register(bed, bed.uniqueName("mx"));
            String room = user.join(alias(channel));
            oper.awaitMessage(m -> m.is("JOIN") && m.sourceNick().endsWith("[m]"), WAIT);
            // The bot is on the channel too before the modes change, so it sees them.
            Await.until(WAIT, "the bot and the Matrix user on " + channel, () -> oper.names(channel).size() >= 3);

            oper.send("MODE " + channel + " +i");
            JsonNode knock = awaitJoinRule(user, room, "public", "knock");
            assertEquals(bot, knock.path("sender").asText());
            String notice = awaitNotice(user, room, "+i");
            assertTrue(notice.startsWith(oper.nick() + " set +i on " + channel + " on IRC"), notice);

            oper.send("MODE " + channel + " -i");
            awaitJoinRule(user, room, "knock", "public");
            notice = awaitNotice(user, room, "-i");
            assertTrue(notice.startsWith(oper.nick() + " set -i on " + channel + " on IRC") && notice.contains("public"), notice);

            // A key cannot be shown to Matrix users: knocking is the way in.
            oper.send("MODE " + channel + " +k secret");
            awaitJoinRule(user, room, "public", "knock");
            awaitNotice(user, room, "+k");
            oper.send("MODE " + channel + " -k secret");
            awaitJoinRule(user, room, "knock", "public");
        }
    }

    @Test
    void aChannelInviteOnlyBeforeItsRoomIsMadeMakesAKnockRoomAndAnInviteLetsTheBotIn() throws java.io.IOException {
        String channel = "#" + bed.uniqueName("closed");
        try (IrcTestClient oper = IrcTestClient.connect(bed, bed.uniqueName("op"))) {
            oper.join(channel);
            oper.send("MODE " + channel + " +i");
            oper.awaitMessage(m -> m.is("MODE") && channel.equalsIgnoreCase(m.param(0)), WAIT);
            MatrixTestClient first = MatrixTestClient.register(bed, bed.uniqueName("mx"));
            // The alias makes the room; the first user is soft-kicked, since the channel refuses them (473).
            String room = first.join(alias(channel));
            awaitMembership(first, room, first.userId(), "leave");
            // Once the bot has seen the channel's modes, the room takes knocks.
            MatrixTestClient second = MatrixTestClient.register(bed, bed.uniqueName("mx"));
            Await.until(WAIT, room + " takes knocks", () -> second.post("knock/" + MatrixTestClient.enc(room), java.util.Map.of()).ok());

            // The channel refused the bot too; an operator's INVITE lets it in.
            String botNick = java.nio.file.Files.readString(config).replaceAll("(?s).*bot-nick: (\\S+).*", "$1");
            oper.send("INVITE " + botNick + " " + channel);
            Await.until(WAIT, "the bot on " + channel, () -> oper.names(channel).contains(botNick));
        }
    }
}
