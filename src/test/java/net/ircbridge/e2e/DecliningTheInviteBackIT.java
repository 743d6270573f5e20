package net.ircbridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import net.ircbridge.testbed.Await;
import net.ircbridge.testbed.IrcMessage;
import net.ircbridge.testbed.IrcTestClient;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A soft-kicked user who declines the bot's invite back (a leave from {@code invite}) is done with the room: their
 * connection, back on the channel by then, parts it with a reason, and quits once no bridged room is left. One who
 * still has another room stays connected, on that room's channel only.
 */
class DecliningTheInviteBackIT extends OneBridgePerClass {

    @BeforeAll
    static void start() {
        startBridge("decline-invite");
    }

    /** The nick of the room's Matrix user on the channel now (the bridge's users' nicks end in {@code [m]}). */
    private static String matrixNickOn(IrcTestClient oper, String channel) {
        return Await.untilPresent(WAIT, "a Matrix user's connection on " + channel,
                () -> oper.names(channel).stream().filter(n -> n.toLowerCase().endsWith("[m]")).findFirst());
    }

    @Test
    void aUserWhoDeclinesTheInviteBackPartsTheChannelAndQuits() {
        OnChannel on = matrixUserOnChannel("decl");
        try (IrcTestClient oper = on.oper()) {
            oper.send("KILL " + on.nick() + " :testing a declined invite");
            awaitMembership(on.user(), on.room(), on.user().userId(), "leave");
            awaitMembership(on.user(), on.room(), on.user().userId(), "invite");
            // The invite back goes out once the connection is back on the channel.
            String nick = matrixNickOn(oper, on.channel());

            on.user().leave(on.room()); // rejects the invite

            IrcMessage part = oper.awaitMessage(m -> m.is("PART") && nick.equalsIgnoreCase(m.sourceNick()), WAIT);
            assertEquals(on.channel().toLowerCase(), part.param(0).toLowerCase());
            assertEquals("Left the Matrix room", part.trailing());
            // No bridged room is left for them on the network: the connection goes too (a QUIT the oper, sharing
            // no channel with them any more, does not see: WHOIS tells).
            Await.until(WAIT, nick + " has quit", () -> !oper.whois(nick));
        }
    }

    @Test
    void aUserWithAnotherRoomStaysConnectedOnItsChannel() {
        OnChannel on = matrixUserOnChannel("decl2");
        String other = "#" + bed.uniqueName("decl2o");
        try (IrcTestClient oper = on.oper()) {
            oper.join(other);
            String otherRoom = on.user().join(alias(other));
            Await.until(WAIT, on.nick() + " on " + other, () -> oper.names(other).contains(on.nick()));

            oper.send("KILL " + on.nick() + " :testing a declined invite");
            awaitMembership(on.user(), on.room(), on.user().userId(), "invite");
            awaitMembership(on.user(), otherRoom, on.user().userId(), "invite");
            on.user().join(otherRoom); // accepts one invite back
            String nick = matrixNickOn(oper, other);
            Await.until(WAIT, nick + " is back on " + on.channel() + " too", () -> oper.names(on.channel()).contains(nick));

            on.user().leave(on.room()); // and declines the other
            IrcMessage part = oper.awaitMessage(m -> m.is("PART") && nick.equalsIgnoreCase(m.sourceNick())
                    && on.channel().equalsIgnoreCase(m.param(0)), WAIT);
            assertEquals("Left the Matrix room", part.trailing());
            Await.until(WAIT, nick + " is still on " + other, () -> oper.names(other).contains(nick)
                    && !oper.names(on.channel()).contains(nick));
            on.user().sendText(otherRoom, "still here");
            oper.awaitPrivmsg(other, "still here", WAIT);
        }
    }
}
