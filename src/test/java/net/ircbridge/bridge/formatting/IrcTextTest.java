package net.ircbridge.bridge.formatting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class IrcTextTest {

    @Test
    void removesColoursFormattingAndControlCharacters() {
        assertEquals("red bold plain", IrcText.clean("\u000304,01red\u0003 \u0002bold\u0002 \u001dplain\u000f\r\n"));
    }

    @Test
    void cutsLongTextWithAnEllipsis() {
        String cleaned = IrcText.clean("x".repeat(IrcText.MAX_LENGTH + 50));
        assertEquals(IrcText.MAX_LENGTH + 1, cleaned.length());
        assertTrue(cleaned.endsWith("…"));
    }
}
