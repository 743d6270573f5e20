package net.ircbridge.irc;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class IrcChannelNamesTest {

    @Test
    void acceptsOrdinaryChannelNamesOfTheAnnouncedTypes() {
        assertTrue(IrcChannelNames.isValid("#matrix"));
        assertTrue(IrcChannelNames.isValid("#Ünïcödé-chan"));
        assertTrue(IrcChannelNames.isValid("&local"));
        assertFalse(IrcChannelNames.isValid("&local", "#", 64));
    }

    @Test
    void refusesBytesThatWouldEndOrSplitACommand() {
        for (String bad : new String[] {"#x\0", "#x\n", "#x\r", "#a b", "#a,#b", "#a:b", "#a\u0007", "#a\u007f", "#\t"}) {
            assertFalse(IrcChannelNames.isValid(bad), bad);
        }
    }

    @Test
    void refusesNamesWithoutAChannelTypeOrTooLongInBytes() {
        assertFalse(IrcChannelNames.isValid("matrix"));
        assertFalse(IrcChannelNames.isValid("#"));
        assertFalse(IrcChannelNames.isValid(null));
        assertTrue(IrcChannelNames.isValid("#" + "a".repeat(63)));
        assertFalse(IrcChannelNames.isValid("#" + "a".repeat(64)));
        assertFalse(IrcChannelNames.isValid("#" + "é".repeat(32)), "65 bytes in UTF-8");
        assertFalse(IrcChannelNames.isValid("#\uD800x"), "a lone surrogate");
    }

    @Test
    void nicksThatCouldBeMasksListsOrChannelsAreNoTargets() {
        assertTrue(IrcNicks.isSafeTarget("alice", 30));
        assertTrue(IrcNicks.isSafeTarget("[m]bob|away", 30));
        assertTrue(IrcNicks.isSafeTarget("0AAAAAAAB", 30));
        for (String bad : new String[] {"*", "*!*@*", "a,b", "#chan", ":x", "a b", "a\0", "", "a\r\nQUIT"}) {
            assertFalse(IrcNicks.isSafeTarget(bad, 30), bad);
        }
        assertFalse(IrcNicks.isSafeTarget("a".repeat(31), 30));
    }
}
