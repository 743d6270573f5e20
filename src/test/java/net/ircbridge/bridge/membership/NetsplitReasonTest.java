package net.ircbridge.bridge.membership;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class NetsplitReasonTest {

    @Test
    void recognisesTheTwoServersOfASplit() {
        assertTrue(MirrorsIrcPresenceIntoRooms.isNetsplit("irc.test leaf.test"));
        assertTrue(MirrorsIrcPresenceIntoRooms.isNetsplit("*.net *.split"));
        assertTrue(MirrorsIrcPresenceIntoRooms.isNetsplit("tungsten.libera.chat zinc.libera.chat"));
    }

    @Test
    void doesNotTakeOrdinaryQuitsForSplits() {
        assertFalse(MirrorsIrcPresenceIntoRooms.isNetsplit("Quit: gone fishing"));
        assertFalse(MirrorsIrcPresenceIntoRooms.isNetsplit("Ping timeout: 250 seconds"));
        assertFalse(MirrorsIrcPresenceIntoRooms.isNetsplit("see example.com and example.org now"));
        assertFalse(MirrorsIrcPresenceIntoRooms.isNetsplit(null));
    }
}
