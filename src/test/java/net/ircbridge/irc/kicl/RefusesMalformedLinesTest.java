package net.ircbridge.irc.kicl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RefusesMalformedLinesTest {

    @Test
    void ordinaryLinesWithTagsAndUnicodePass() {
        assertNull(RefusesMalformedLines.problem(":nick!u@h PRIVMSG #chan :héllo wörld ✓ 😀"));
        assertNull(RefusesMalformedLines.problem("@time=2026-12-01T20:00:00.000Z;msgid=abc :nick!u@h PRIVMSG #chan :hi"));
        assertNull(RefusesMalformedLines.problem(":srv 353 me = #chan :" + "n ".repeat(240).strip()));
        assertNull(RefusesMalformedLines.problem(""));
    }

    @Test
    void refusesANulACrOrALfInsideALine() {
        assertEquals("NUL, CR or LF inside", RefusesMalformedLines.problem(":n!u@h PRIVMSG #c :a\u0000b"));
        assertEquals("NUL, CR or LF inside", RefusesMalformedLines.problem("PING :x\rQUIT"));
        assertEquals("NUL, CR or LF inside", RefusesMalformedLines.problem(":n!u@h PRIVMSG #c :a\nJOIN #evil"));
    }

    @Test
    void refusesAMessageOver512BytesCountedInUtf8() {
        String prefix = ":n!u@h PRIVMSG #c :";
        assertNull(RefusesMalformedLines.problem(prefix + "a".repeat(510 - prefix.length())));
        assertEquals("longer than 512 bytes", RefusesMalformedLines.problem(prefix + "a".repeat(511 - prefix.length())));
        // 200 characters of two bytes each are 400 bytes: with the prefix, over.
        assertEquals("longer than 512 bytes", RefusesMalformedLines.problem(prefix + "é".repeat(250)));
        assertEquals("longer than 512 bytes", RefusesMalformedLines.problem(prefix + "eight kilobytes ".repeat(512)));
    }

    @Test
    void countsAReplacementCharacterAsTheOneByteItWas() {
        // A Latin-1 line of 400 bytes decodes to 400 U+FFFD: it is not an overlong line.
        assertNull(RefusesMalformedLines.problem(":n!u@h PRIVMSG #c :" + "\uFFFD".repeat(400)));
    }

    @Test
    void tagsHaveTheirOwn8191Bytes() {
        String tags = "@a=" + "x".repeat(8000);
        assertNull(RefusesMalformedLines.problem(tags + " :n!u@h PRIVMSG #c :hi"));
        assertEquals("tags over 8191 bytes", RefusesMalformedLines.problem("@a=" + "x".repeat(8200) + " :n!u@h PRIVMSG #c :hi"));
        assertEquals("tags over 8191 bytes", RefusesMalformedLines.problem("@a=" + "x".repeat(8200)));
    }

    @Test
    void countsWhatItRefusesAndAcceptsTheRest() {
        RefusesMalformedLines refuses = new RefusesMalformedLines();
        for (int i = 0; i < 2500; i++) {
            assertFalse(refuses.accepts("test", "x\u0000"));
        }
        assertTrue(refuses.accepts("test", ":n!u@h PRIVMSG #c :fine"));
    }
}
