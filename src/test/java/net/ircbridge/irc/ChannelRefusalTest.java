package net.ircbridge.irc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ChannelRefusalTest {

    @Test
    void readsEachRefusalFromItsNumeric() {
        assertEquals(ChannelRefusal.BANNED, ChannelRefusal.of(474, "Cannot join channel (+b)"));
        assertEquals(ChannelRefusal.INVITE_ONLY, ChannelRefusal.of(473, "Cannot join channel (+i)"));
        assertEquals(ChannelRefusal.REGISTERED_ONLY, ChannelRefusal.of(477, "You need to be identified to a registered account"));
        assertEquals(ChannelRefusal.OTHER, ChannelRefusal.of(437, "Nick/channel is temporarily unavailable"));
    }

    @Test
    void tellsAFullChannelFromNgircdsRegisteredOnlyChannelThatAlsoAnswers471() {
        assertEquals(ChannelRefusal.FULL, ChannelRefusal.of(471, "Cannot join channel (channel is full)"));
        assertEquals(ChannelRefusal.FULL, ChannelRefusal.of(471, null));
        assertEquals(ChannelRefusal.REGISTERED_ONLY, ChannelRefusal.of(471, "Cannot join channel (+R) -- Registered users only"));
    }
}
