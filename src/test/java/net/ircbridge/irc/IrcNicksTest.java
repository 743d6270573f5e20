package net.ircbridge.irc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class IrcNicksTest {

    @Test
    void keepsOnlyWhatANickMayHold() {
        assertEquals("ZoTester[m]", IrcNicks.clean("Zoë Tester[m]", "zoe", 30));
        assertEquals("_1337[m]", IrcNicks.clean("1337[m]", "x", 30));
        assertEquals("alice", IrcNicks.clean("!!!", "alice", 30));
        assertEquals("abcde", IrcNicks.clean("abcdefgh", "x", 5));
    }

    @Test
    void alternativesStayWithinTheLength() {
        assertEquals("bob_", IrcNicks.alternative("bob", 1, 9));
        assertEquals("bob2", IrcNicks.alternative("bob_", 2, 9));
        assertEquals("abcdefg3", IrcNicks.alternative("abcdefgh", 3, 8));
    }

    @Test
    void lineBreakingCharactersNeverReachALine() {
        assertEquals("a b c", IrcNicks.safeText("a\r\nb\u0000c"));
    }

    @Test
    void identsAreTheLocalpartsLettersAndDigitsCutToTen() {
        assertEquals("alicesmith", IrcNicks.ident("alice.smith_99"));
        assertEquals("bob", IrcNicks.ident("Bob"));
        assertEquals("matrix", IrcNicks.ident("..."));
    }
}
