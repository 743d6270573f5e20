package net.ircbridge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

class IdTemplateTest {

    @Test
    void fillsPlaceholders() {
        assertEquals("@irc_libera_bob:example.org", new IdTemplate("@irc_{network}_{nick}:{domain}")
                .fill(Map.of("network", "libera", "nick", "bob", "domain", "example.org")));
    }

    @Test
    void escapesLiteralPartsOfTheRegex() {
        assertEquals("^@irc\\.(?:a)_.+:ex\\.org$", new IdTemplate("@irc.{network}_{nick}:{domain}")
                .toRegex(Map.of("network", "(?:a)", "nick", ".+", "domain", "ex\\.org")));
    }
}
