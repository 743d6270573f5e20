package net.ircbridge.e2e;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import net.ircbridge.testbed.IrcMessage;
import net.ircbridge.testbed.IrcTestClient;
import net.ircbridge.testbed.MatrixTestClient;

/** A knock left pending in Matrix by a bridge that has stopped since: the room knocked on, and the knocker's nick then. */
record PendingKnock(String room, String nick) {

    /**
     * Runs a bridge with {@code config} until {@code knocker}'s knock with {@code reason} reaches {@code oper}, who is on
     * {@code channel}: {@code member} joins its room ({@code roomAlias}), {@code oper} makes the channel invite-only and,
     * once the room takes knocks, {@code knocker} knocks. The bridge is stopped when this returns.
     */
    static PendingKnock leftByABridge(Path config, IrcTestClient oper, String channel, String roomAlias, MatrixTestClient member,
            MatrixTestClient knocker, String reason, Duration wait) {
        try (BridgeProcess bridge = BridgeProcess.start(config)) {
            String room = member.join(roomAlias);
            oper.awaitMessage(m -> m.is("JOIN") && m.sourceNick().endsWith("[m]"), wait);
            oper.send("MODE " + channel + " +i");
            member.awaitEvent(room, e -> "m.room.join_rules".equals(e.path("type").asText())
                    && "knock".equals(e.path("content").path("join_rule").asText()), wait);
            knocker.post("knock/" + MatrixTestClient.enc(room), Map.of("reason", reason)).orThrow("knocking");
            IrcMessage knock = oper.awaitMessage(m -> m.is("710") && m.trailing().contains(reason), wait);
            return new PendingKnock(room, knock.param(2).substring(0, knock.param(2).indexOf('!')));
        }
    }
}
