package net.ircbridge.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

class NickOnNetworkTest {

    @Test
    void nicksThatIrcComparesAsTheSameAreOneKey() {
        assertEquals(new NickOnNetwork("libera", "{Bob}|"), new NickOnNetwork("libera", "[bob]\\"));
        assertEquals("{bob}|", new NickOnNetwork("libera", "[BOB]\\").nick());
    }

    @Test
    void theSameNickOnAnotherNetworkIsAnotherKey() {
        assertNotEquals(new NickOnNetwork("libera", "bob"), new NickOnNetwork("oftc", "bob"));
    }
}
