package net.ircbridge.irc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class IrcConnectionEndTest {

    @Test
    void serverBansArePermanent() {
        assertTrue(IrcConnectionEnd.meansBanned("Closing link: (alice@127.0.0.1) [K-lined: no bridges]"));
        assertTrue(IrcConnectionEnd.meansBanned("Closing Link: host (G-Lined: spam)"));
        assertTrue(IrcConnectionEnd.meansBanned("Z-lined: open proxy"));
        assertTrue(IrcConnectionEnd.meansBanned("You are banned from this server- abuse"));
        assertTrue(IrcConnectionEnd.meansBanned("Closing Link: 127.0.0.1 (AKILLed: botnet)"));
    }

    @Test
    void otherEndsAreTransient() {
        assertFalse(IrcConnectionEnd.meansBanned("Closing link: (alice@127.0.0.1) [Ping timeout: 250 seconds]"));
        assertFalse(IrcConnectionEnd.meansBanned("Closing link: (alice@127.0.0.1) [Server shutting down]"));
        assertFalse(IrcConnectionEnd.meansBanned("Connection reset by peer"));
        assertFalse(IrcConnectionEnd.meansBanned(null));
    }

    @Test
    void channelRefusalsFollowTheNumerics() {
        assertEquals(ChannelRefusal.BANNED, ChannelRefusal.of(474));
        assertEquals(ChannelRefusal.INVITE_ONLY, ChannelRefusal.of(473));
        assertEquals(ChannelRefusal.BAD_KEY, ChannelRefusal.of(475));
        assertEquals(ChannelRefusal.FULL, ChannelRefusal.of(471));
        assertEquals(ChannelRefusal.REGISTERED_ONLY, ChannelRefusal.of(477));
        assertEquals(ChannelRefusal.OTHER, ChannelRefusal.of(437));
    }
}
