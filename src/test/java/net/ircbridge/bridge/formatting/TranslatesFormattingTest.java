package net.ircbridge.bridge.formatting;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import net.ircbridge.bridge.formatting.TranslatesIrcFormattingToHtml.MatrixText;
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

    // Hostile input (issue 11): linear work, bounded output. The budget is generous for a loaded machine; the
    // benchmark (bench/html-translation) shows the real figures, a few milliseconds.

    private static final long BUDGET_MILLIS = 500;
    private static final int SIZE = 64 * 1024;

    /** {@code unit} repeated to {@link #SIZE} characters. */
    private static String flood(String unit) {
        return unit.repeat(SIZE / unit.length() + 1).substring(0, SIZE);
    }

    /** Runs the work and checks the CPU time it took: the thread's own, so that a busy machine doesn't count. */
    private static <T> T withinBudget(String what, Supplier<T> work) {
        work.get(); // the first run pays for class loading and the interpreter
        java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
        long started = threads.getCurrentThreadCpuTime();
        T result = work.get();
        long millis = (threads.getCurrentThreadCpuTime() - started) / 1_000_000;
        assertTrue(millis < BUDGET_MILLIS, what + " took " + millis + " ms");
        return result;
    }

    private static TranslatesHtmlToIrcFormatting.Translated hostile(String what, String html, int maxLength) {
        TranslatesHtmlToIrcFormatting.Translated t = withinBudget(what, () -> TranslatesHtmlToIrcFormatting.translate(html,
                (userId, text) -> text, maxLength));
        assertTrue(t.text().length() <= maxLength, what + ": " + t.text().length() + " characters");
        return t;
    }

    @Test
    void theFindingsNestedListsTranslateFastAndAreCut() {
        String html = "<ul>".repeat(2000) + "<li>x</li>".repeat(1600);
        TranslatesHtmlToIrcFormatting.Translated t = hostile("24 KB of nested lists", html, 2048);
        assertTrue(t.cut());
        String first = t.text().lines().findFirst().orElseThrow();
        assertEquals("• x", first.strip());
        assertTrue(first.length() <= 2 * TranslatesHtmlToIrcFormatting.MAX_DEPTH + 3, "indentation stops growing: " + first.length());
    }

    @Test
    void adversarialBodiesOf64KbTranslateWithinBudgetAndCap() {
        String[] shapes = {
            flood("<ul><li>"), flood("<blockquote>q"), flood("<b><i><u>"), flood("</b></i></u>"), flood("<b>x</i>"),
            "<a" + flood(" b"), flood("<a b"), flood("<a x=\"<a x='"), "<p title=\"" + flood("&amp;"), flood("&amp;&#65;&#x42;&bogus;&"),
            flood("&aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"), flood("<a href=\"https://matrix.to/#/@u:x\">"),
            flood("<pre>  \n  "), flood("<font color=\"#ff0000\">1"), flood("<mx-reply>"), flood("<span " + "a=b ".repeat(50) + ">t"),
            flood("x "), flood(" ".repeat(100) + "<br>"), flood("<"), flood("<x-" + "y".repeat(100)),
        };
        for (String html : shapes) {
            String what = html.substring(0, 24).replace("\n", "\\n") + "…";
            hostile(what, html, 16 * 1024);
            hostile(what + " uncapped", html, Integer.MAX_VALUE);
        }
    }

    @Test
    void outputPastTheCapIsCutAndSaysSo() {
        TranslatesHtmlToIrcFormatting.Translated t = TranslatesHtmlToIrcFormatting.translate("<p>" + "word ".repeat(1000) + "</p>",
                (userId, text) -> text, 100);
        assertTrue(t.cut());
        assertTrue(t.text().length() <= 100);
        assertTrue(t.text().startsWith("word word"));
        assertFalse(TranslatesHtmlToIrcFormatting.translate("<p>short</p>", (userId, text) -> text, 100).cut());
    }

    @Test
    void elementsPastTheDepthCapAreFlattenedNotLost() {
        int depth = TranslatesHtmlToIrcFormatting.MAX_DEPTH + 10;
        String html = "<blockquote>".repeat(depth) + "deep" + "</blockquote>".repeat(depth) + "after";
        String irc = toIrc(html);
        String[] lines = irc.split("\n");
        assertEquals(2, lines.length, irc);
        assertEquals("> ".repeat(TranslatesHtmlToIrcFormatting.MAX_DEPTH) + "deep", lines[0]);
        assertEquals("after", lines[1]);
        // Formatting past the cap is dropped, and its closing tags close nothing above it.
        assertEquals("\u0002" + "a".repeat(depth) + "\u0002b",
                toIrc("<b>a".repeat(depth) + "</b>".repeat(depth) + "b"));
    }

    @Test
    void anUnterminatedTagMakesTheRestText() {
        assertEquals("a <b c", toIrc("a <b c"));
        assertEquals("\u0002x\u0002 <i y=\"z", toIrc("<b>x</b> <i y=\"z"));
        // A quote that never closes starts an unquoted value, as before.
        assertEquals("link (\"x)", toIrc("<a href=\"x>link</a>"));
    }

    @Test
    void entitiesDecodeAsBefore() {
        assertEquals("A B < & &bogus; &#99999999; &amp", toIrc("&#65; &#x42; &lt; &amp; &bogus; &#99999999; &amp"));
        assertEquals("&amp;", toIrc("&amp;amp;"));
    }

    @Test
    void ircTextOfControlCodesTranslatesWithinBudget() {
        String codes = "\u0002\u00034,5\u001D\u001F\u0016x\u000F\u0004ff00ff,00ff00y\u0011\u001E";
        String line = codes.repeat(10 * 1024 / codes.length() + 1);
        MatrixText t = withinBudget("10 KB of IRC formatting codes", () -> fromIrc(line));
        assertTrue(t.body().length() < line.length());
        String nicks = "ZoTester[m] ".repeat(1000);
        withinBudget("a thousand mentions", () -> fromIrc(nicks));
    }
}
