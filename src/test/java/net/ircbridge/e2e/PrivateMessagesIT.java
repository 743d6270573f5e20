package net.ircbridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;
import net.ircbridge.testbed.Await;
import net.ircbridge.testbed.IrcMessage;
import net.ircbridge.testbed.IrcTestClient;
import net.ircbridge.testbed.MatrixTestClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Private messages through direct chats (issue 5, item 6). */
class PrivateMessagesIT extends OneBridgePerClass {

    @BeforeAll
    static void start() {
        startBridge("private", "send-rate:\n        burst: 50\n        interval-millis: 50");
    }

    @Test
    void aMatrixUserWhoInvitesAGhostToADirectChatTalksWithThatNickThroughTheirOwnConnection() {
        try (IrcTestClient bob = IrcTestClient.connect(bed, bed.uniqueName("bob"))) {
            MatrixTestClient user = MatrixTestClient.register(bed, bed.uniqueName("mx"));
            String room = user.createDirectChat(ghost(bob.nick()));
            awaitMembership(user, room, ghost(bob.nick()), "join");

            user.sendText(room, "hello bob");
            IrcMessage pm = bob.awaitMessage(m -> m.is("PRIVMSG") && m.param(0).equalsIgnoreCase(bob.nick()), WAIT);
            assertEquals("hello bob", pm.trailing());
            String nick = pm.sourceNick();
            assertTrue(nick.endsWith("[m]"), nick);

            bob.privmsg(nick, "hi there");
            bob.send("PRIVMSG " + nick + " :\u0001ACTION smiles\u0001");
            MessageRelayIT.awaitFrom(user, room, ghost(bob.nick()), "hi there");
            assertEquals("m.emote", MessageRelayIT.awaitFrom(user, room, ghost(bob.nick()), "smiles").path("content").path("msgtype").asText());
        }
    }

    @Test
    void anIrcUserWhoMessagesAMatrixUsersNickOpensADirectChatWithThem() {
        try (MessageRelayIT.Portal p = MessageRelayIT.portal("pm");
                IrcTestClient carol = IrcTestClient.connect(bed, bed.uniqueName("carol"))) {
            carol.privmsg(p.nick(), "psst");
            carol.privmsg(p.nick(), "are you there?");
            String room = p.user().awaitInvite(WAIT);
            JsonNode invite = awaitMembership(p.user(), room, p.user().userId(), "invite");
            assertTrue(invite.path("content").path("is_direct").asBoolean(), invite.toString());
            assertEquals(ghost(carol.nick()), invite.path("sender").asText());
            p.user().join(room);
            MessageRelayIT.awaitFrom(p.user(), room, ghost(carol.nick()), "psst");
            MessageRelayIT.awaitFrom(p.user(), room, ghost(carol.nick()), "are you there?");

            p.user().sendText(room, "yes");
            assertEquals("yes", carol.awaitMessage(m -> m.is("PRIVMSG") && p.nick().equals(m.sourceNick()), WAIT).trailing());
        }
    }

    @Test
    void aPrivateMessageToANickThatIsNotOnIrcIsAnsweredWithTheServersReason() {
        MatrixTestClient user = MatrixTestClient.register(bed, bed.uniqueName("mx"));
        String nobody = bed.uniqueName("gone");
        String room = user.createDirectChat(ghost(nobody));
        awaitMembership(user, room, ghost(nobody), "join");
        String unsent = user.sendText(room, "anyone?");
        // The bot is not in a direct chat: the ghost answers.
        String body = MessageRelayIT.awaitAnswer(user, room, unsent, ghost(nobody)).path("content").path("body").asText();
        assertTrue(body.startsWith(user.userId() + ": Test IRC refused your message to " + nobody + ": "), body);
        assertTrue(body.contains("No such nick"), body);
    }

    @Test
    void aMessageFromAUserTheServerWillNotConnectIsAnsweredWithTheServersReason() {
        String localpart = bed.uniqueName("kl");
        String mask = net.ircbridge.irc.IrcNicks.ident(localpart) + "@*";
        try (IrcTestClient oper = IrcTestClient.connect(bed, bed.uniqueName("oper"));
                IrcTestClient erin = IrcTestClient.connect(bed, bed.uniqueName("erin"))) {
            oper.oper();
            oper.send("KLINE " + mask + " 0 :no bridges for you");
            // The server answers in order: once the PONG is back, the K-line is in force.
            oper.send("PING :klined");
            oper.awaitMessage(m -> m.is("PONG") && m.trailing().equals("klined"), WAIT);
            try {
                MatrixTestClient user = MatrixTestClient.register(bed, localpart);
                String room = user.createDirectChat(ghost(erin.nick()));
                awaitMembership(user, room, ghost(erin.nick()), "join");
                String unsent = user.sendText(room, "hello?");
                String body = MessageRelayIT.awaitAnswer(user, room, unsent, ghost(erin.nick())).path("content").path("body").asText();
                assertTrue(body.startsWith(user.userId() + ": your message was not sent to " + erin.nick()
                        + ": you are not connected to Test IRC: "), body);
                // The server says so in a 465 numeric ("You're banned!") or its closing ERROR ("K-lined: …").
                assertTrue(body.contains("banned") || body.contains("K-lined"), body);
            } finally {
                oper.send("KLINE " + mask);
            }
        }
    }

    @Test
    void aGhostInvitedToARoomThatIsNotADirectChatDeclinesSayingWhy() {
        try (IrcTestClient dave = IrcTestClient.connect(bed, bed.uniqueName("dave"))) {
            MatrixTestClient user = MatrixTestClient.register(bed, bed.uniqueName("mx"));
            String room = user.createRoom(Map.of("preset", "private_chat", "invite", List.of(ghost(dave.nick()))));
            JsonNode leave = awaitMembership(user, room, ghost(dave.nick()), "leave");
            assertTrue(leave.path("content").path("reason").asText().contains("direct chats only"), leave.toString());
            Await.until(WAIT, "the ghost is not in the room", () -> !user.members(room).contains(ghost(dave.nick())));
        }
    }
}
