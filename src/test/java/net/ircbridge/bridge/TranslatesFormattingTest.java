package net.ircbridge.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Optional;
import net.ircbridge.bridge.TranslatesIrcFormattingToHtml.MatrixText;
import org.junit.jupiter.api.Test;

class TranslatesFormattingTest {

    private static MatrixText fromIrc(String text) {
        return TranslatesIrcFormattingToHtml.translate(text, word -> word.equals("ZoTester[m]")
                ? Optional.of("@zoe:localhost") : Optional.empty());
    }

    private static String toIrc(String html) {
        return TranslatesHtmlToIrcFormatting.translate(html, (userId, text) -> userId.equals("@irc_net_bob:localhost") ? "Bob" : text);
    }

    @Test
    void plainIrcTextIsAPlainBody() {
        MatrixText t = fromIrc("just <text> & more");
        assertEquals("just <text> & more", t.body());
        assertNull(t.html());
    }

    @Test
    void ircFormattingBecomesHtmlAndThePlainBodyLosesIt() {
        MatrixText t = fromIrc("\u0002bold\u0002 \u001Dit\u001D \u001Fu\u001F \u001Es\u001E \u0011m\u0011 \u000304,01red\u0003 x\u000F");
        assertEquals("bold it u s m red x", t.body());
        assertEquals("<b>bold</b> <i>it</i> <u>u</u> <del>s</del> <code>m</code> "
                + "<font data-mx-color=\"#ff0000\" data-mx-bg-color=\"#000000\">red</font> x", t.html());
    }

    @Test
    void resetEndsEverything() {
        assertEquals("<b><i>a</i></b>b", fromIrc("\u0002\u001Da\u000Fb").html());
    }

    @Test
    void aMatrixUsersNickBecomesAPillAndAMention() {
        MatrixText t = fromIrc("ZoTester[m]: hi <3");
        assertEquals("ZoTester[m]: hi <3", t.body());
        assertEquals("<a href=\"https://matrix.to/#/@zoe:localhost\">ZoTester[m]</a>: hi &lt;3", t.html());
        assertEquals(List.of("@zoe:localhost"), t.mentions());
    }

    @Test
    void htmlFormattingBecomesIrcCodes() {
        assertEquals("\u0002b\u0002 \u001Di\u001D \u001Fu\u001F \u001Es\u001E \u0011c\u0011",
                toIrc("<strong>b</strong> <em>i</em> <u>u</u> <del>s</del> <code>c</code>"));
    }

    @Test
    void coloursBecomeTheNearestBasicColourAndAreRestoredWhenTheyEnd() {
        assertEquals("\u000304red \u000302blue\u000304 red\u0003 none",
                toIrc("<font data-mx-color=\"#ee1111\">red <span data-mx-color=\"#000080\">blue</span> red</font> none"));
    }

    @Test
    void blocksBecomeLines() {
        assertEquals("first\nsecond\n> quoted\n> more\n• one\n• two\n1. a\n2. b",
                toIrc("<p>first</p><p>second</p><blockquote><p>quoted</p><p>more</p></blockquote>"
                        + "<ul><li>one</li><li>two</li></ul><ol><li>a</li><li>b</li></ol>"));
    }

    @Test
    void preformattedTextKeepsItsLinesAndSpaces() {
        assertEquals("\u0011int x;\n  return x;\u0011", toIrc("<pre><code>int x;\n  return x;</code></pre>"));
    }

    @Test
    void linksKeepTheirAddressAndPillsBecomeNicks() {
        assertEquals("see the docs (https://example.org/docs) or https://example.org",
                toIrc("see <a href=\"https://example.org/docs\">the docs</a> or <a href=\"https://example.org\">https://example.org</a>"));
        assertEquals("Bob: hi", toIrc("<a href=\"https://matrix.to/#/@irc_net_bob:localhost\">bob</a>: hi"));
    }

    @Test
    void theReplyFallbackIsLeftOutAndEntitiesAreDecoded() {
        assertEquals("a < b & c",
                toIrc("<mx-reply><blockquote>old <b>stuff</b></blockquote></mx-reply>a &lt; b &amp; c"));
    }

    @Test
    void imagesBecomeTheirAltTextAndBreaksNewLines() {
        assertEquals("hi :blob:\nthere", toIrc("hi <img data-mx-emoticon src=\"mxc://x/y\" alt=\":blob:\"><br>there"));
    }

    @Test
    void aColourFollowedByDigitsDoesNotSwallowThem() {
        String irc = toIrc("<font color=\"#ff0000\">1</font>2");
        assertEquals("12", net.ircbridge.irc.IrcFormatting.strip(irc));
    }

    @Test
    void formattingThatEndsALineIsClosed() {
        // \u001E and \u001F are whitespace to Java's strip(): they must survive the end of a line.
        assertEquals("\u001Fend\u001F\n\u001Egone\u001E", toIrc("<u>end</u><br><del>gone</del>"));
    }
}
