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

/** Mentions across the bridge (issue 5, item 3). */
class MentionsIT extends OneBridgePerClass {

    @BeforeAll
    static void start() {
        startBridge("mentions", "send-rate:\n        burst: 50\n        interval-millis: 50");
    }

    @Test
    void anIrcMessageNamingAMatrixUsersNickMentionsThatUser() {
        try (MessageRelayIT.Portal p = MessageRelayIT.portal("ment")) {
            p.op().privmsg(p.channel(), p.nick() + ": are you there?");
            JsonNode content = MessageRelayIT.awaitFrom(p.user(), p.room(), ghost(p.op().nick()), p.nick() + ": are you there?")
                    .path("content");
            assertEquals(p.user().userId(), content.path("m.mentions").path("user_ids").path(0).asText());
            assertEquals("<a href=\"https://matrix.to/#/" + p.user().userId() + "\">" + p.nick() + "</a>: are you there?",
                    content.path("formatted_body").asText());
        }
    }

    @Test
    void aLineNamingNoMatrixUserMentionsNobody() {
        try (MessageRelayIT.Portal p = MessageRelayIT.portal("ment")) {
            p.op().privmsg(p.channel(), "nobody here");
            JsonNode content = MessageRelayIT.awaitFrom(p.user(), p.room(), ghost(p.op().nick()), "nobody here").path("content");
            assertEquals(0, content.path("m.mentions").path("user_ids").size());
            assertTrue(content.path("formatted_body").isMissingNode());
        }
    }

    @Test
    void aMatrixMentionOfAGhostBecomesItsIrcNickAndOfAMatrixUserTheirs() {
        String channel = "#" + bed.uniqueName("ment");
        // A nick with capitals: the ghost's user id has it folded, IRC must see it as it is.
        try (IrcTestClient op = IrcTestClient.connect(bed, "Zed" + bed.uniqueName("x"))) {
            op.join(channel);
            MatrixTestClient user = MatrixTestClient.register(bed, bed.uniqueName("mx"));
            String room = user.join(alias(channel));
            String nick = op.awaitMessage(m -> m.is("JOIN") && m.sourceNick().endsWith("[m]"), WAIT).sourceNick();
            MatrixTestClient other = MatrixTestClient.register(bed, bed.uniqueName("mx"));
            other.join(room);
            String otherNick = op.awaitMessage(m -> m.is("JOIN") && m.sourceNick().endsWith("[m]"), WAIT).sourceNick();
            String opGhost = ghost(op.nick());
            Await.until(WAIT, "the operator's ghost is in the room", () -> user.members(room).contains(opGhost));

            user.sendEvent(room, "m.room.message", Map.of("msgtype", "m.text", "body", op.nick() + " and " + other.userId() + ": hi",
                    "format", "org.matrix.custom.html",
                    "formatted_body", "<a href=\"https://matrix.to/#/" + opGhost + "\">" + op.nick() + "</a> and <a href=\"https://matrix.to/#/"
                            + other.userId() + "\">Other Person</a>: hi",
                    "m.mentions", Map.of("user_ids", java.util.List.of(opGhost, other.userId()))));
            IrcMessage line = op.awaitMessage(m -> m.is("PRIVMSG") && nick.equals(m.sourceNick()), WAIT);
            assertEquals(op.nick() + " and " + otherNick + ": hi", line.trailing());
        }
    }
}
