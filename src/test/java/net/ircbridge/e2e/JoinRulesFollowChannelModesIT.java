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

    private static JsonNode awaitJoinRule(MatrixTestClient user, String room, String rule) {
        return user.awaitEvent(room, e -> "m.room.join_rules".equals(e.path("type").asText())
                && rule.equals(e.path("content").path("join_rule").asText()), WAIT);
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
            JsonNode knock = awaitJoinRule(user, room, "knock");
            assertEquals(bot, knock.path("sender").asText());
            String notice = awaitNotice(user, room, "+i");
            assertTrue(notice.startsWith(oper.nick() + " set +i on " + channel + " on IRC"), notice);

            oper.send("MODE " + channel + " -i");
            awaitJoinRule(user, room, "public");
            notice = awaitNotice(user, room, "-i");
            assertTrue(notice.startsWith(oper.nick() + " set -i on " + channel + " on IRC") && notice.contains("public"), notice);

            // A key cannot be shown to Matrix users: knocking is the way in.
            oper.send("MODE " + channel + " +k secret");
            awaitJoinRule(user, room, "knock");
            awaitNotice(user, room, "+k");
            oper.send("MODE " + channel + " -k secret");
            awaitJoinRule(user, room, "public");
        }
    }
}
