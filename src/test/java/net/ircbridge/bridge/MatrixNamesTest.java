package net.ircbridge.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class MatrixNamesTest {

    private final MatrixNames names = new MatrixNames("@irc_{network}_{nick}:{domain}", "#irc_{network}_{channel}:{domain}",
            "example.org", List.of("libera", "oftc"), "@ircbridge:example.org");

    @Test
    void ghostIdsAreTheSameWhateverTheNicksCase() {
        assertEquals("@irc_libera_alice:example.org", names.ghostUserId("libera", "Alice"));
        assertEquals(names.ghostUserId("libera", "[Bob]"), names.ghostUserId("libera", "{bob}"));
    }

    @Test
    void escapesWhatALocalpartCannotHold() {
        assertEquals("@irc_libera_=7bbob=7d=7c:example.org", names.ghostUserId("libera", "{bob}|"));
        assertEquals("#irc_oftc_c=2b=2b:example.org".replace("=2b", "+"), names.channelAlias("oftc", "#C++"));
    }

    @Test
    void parsesIdsBackToIrcNames() {
        assertEquals(Optional.of(new MatrixNames.IrcName("libera", "{bob}|")),
                names.parseGhost(names.ghostUserId("libera", "{Bob}|")));
        assertEquals(Optional.of(new MatrixNames.IrcName("oftc", "#matrix")), names.parseAlias("#irc_oftc_matrix:example.org"));
        assertTrue(names.parseGhost("@irc_other_bob:example.org").isEmpty());
        assertTrue(names.parseGhost("@irc_libera_bob:other.org").isEmpty());
        assertTrue(names.parseGhost("@irc_libera_bad=zz:example.org").isEmpty());
    }

    @Test
    void keepsNonAsciiNicksReversible() {
        String id = names.ghostUserId("libera", "Zoë");
        assertEquals(Optional.of(new MatrixNames.IrcName("libera", "zoë")), names.parseGhost(id));
    }
}
