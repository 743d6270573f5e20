package net.ircbridge.bridge.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** The pieces a reply is made of on IRC: the reply without its fallback, and the start of the original. */
class QuotesRepliesTest {

    @Test
    void theReplyFallbackIsLeftOutOfTheBody() {
        assertEquals("noon", RelaysMatrixMessagesToIrc.withoutReplyFallback("> <@bob:hs> what time is it?\n> more\n\nnoon"));
        assertEquals("> quoting on purpose", RelaysMatrixMessagesToIrc.withoutReplyFallback("> <@bob:hs> hi\n\n> quoting on purpose"));
        assertEquals("no fallback", RelaysMatrixMessagesToIrc.withoutReplyFallback("no fallback"));
    }

    @Test
    void aQuoteIsTheStartOfTheOriginalOnOneLine() {
        assertEquals("short one", RelaysMatrixMessagesToIrc.cut("short one", 40));
        assertEquals("first line second…", RelaysMatrixMessagesToIrc.cut("first line\nsecond line", 17));
        assertEquals("😀😀…", RelaysMatrixMessagesToIrc.cut("😀😀😀", 2), "characters, not UTF-16 units");
        assertEquals("bold", RelaysMatrixMessagesToIrc.cut("\u0002bold\u0002", 40), "without formatting");
    }
}
