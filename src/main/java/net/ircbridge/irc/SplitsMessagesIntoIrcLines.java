package net.ircbridge.irc;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import net.ircbridge.irc.IrcFormatting.Style;
import net.ircbridge.irc.IrcFormatting.Token;

/**
 * Cuts a message into IRC lines that fit: each line's text is at most a given number of UTF-8 bytes (what is left
 * of the 512 once the server's relaying prefix, the command and the target are counted), cut between words where
 * possible and never inside a character or a formatting code. Each line of the message (separated by newlines)
 * starts a new IRC line; empty lines are left out, as IRC cannot send them. Formatting in force where a line is cut
 * is turned on again at the start of the next one, because IRC clients reset it at every line.
 *
 * <p>Nothing that could end the line or start another command gets through: CR and LF only separate lines, NUL is
 * removed, and so are CTCP's {@code \u0001} and the other control characters that are not formatting codes. A tab
 * becomes a space.
 */
public final class SplitsMessagesIntoIrcLines {

    private SplitsMessagesIntoIrcLines() {
    }

    /**
     * The lines for a message.
     *
     * @param text     the message, with newlines and IRC formatting codes
     * @param maxBytes the longest text of one line, in UTF-8 bytes
     */
    public static List<String> split(String text, int maxBytes) {
        List<String> lines = new ArrayList<>();
        Style style = Style.PLAIN;
        for (String paragraph : text.split("\r\n|\r|\n", -1)) {
            style = splitParagraph(clean(paragraph), Math.max(8, maxBytes), style, lines);
        }
        return lines;
    }

    /** The text without anything that must not reach an IRC line (see the class comment). */
    public static String clean(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            if (c == '\t') {
                out.append(' ');
            } else if ((c >= 0x20 && c != 0x7f) || IrcFormatting.isCode((char) c)) {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }

    /** UTF-8 length of a string. */
    public static int bytes(String s) {
        int n = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                n += 1;
            } else if (c < 0x800) {
                n += 2;
            } else if (Character.isHighSurrogate(c)) {
                n += 4;
                i++;
            } else {
                n += 3;
            }
        }
        return n;
    }

    private static Style splitParagraph(String paragraph, int maxBytes, Style style, List<String> lines) {
        List<Token> tokens = IrcFormatting.tokens(paragraph);
        Line line = new Line(style, false);
        int i = 0;
        while (i < tokens.size()) {
            Token t = tokens.get(i);
            if (!t.code() && t.raw().equals(" ") && line.continuation && !line.hasText) {
                // A cut line doesn't start with the space it was cut at.
                i++;
                continue;
            }
            String added = line.preview(t);
            if (line.bytes + bytes(added) <= maxBytes || (!t.code() && !line.hasText)) {
                if (!t.code() && t.raw().equals(" ") && line.hasText) {
                    line.markBreak(i + 1);
                }
                line.add(t, added);
                i++;
                continue;
            }
            if (t.code()) {
                // The code belongs to the next line, whose prefix will carry it.
                line.style = line.style.apply(t.raw());
                i++;
                continue;
            }
            if (line.breakIndex >= 0) {
                lines.add(line.textUpToBreak());
                i = line.tokenAfterBreak;
                line = new Line(line.styleAtBreak, true);
            } else {
                lines.add(line.text.toString());
                line = new Line(line.style, true);
            }
        }
        if (line.hasText) {
            lines.add(line.text.toString());
        }
        return line.style;
    }

    /** One IRC line being filled. */
    private static final class Line {
        final StringBuilder text = new StringBuilder();
        final boolean continuation;
        Style style;
        int bytes;
        boolean hasText;
        int breakIndex = -1;
        int tokenAfterBreak;
        Style styleAtBreak;

        Line(Style style, boolean continuation) {
            this.style = style;
            this.continuation = continuation;
            text.append(style.codes());
            bytes = bytes(text.toString());
        }

        /** What adding the token appends (a text token may need a guard after a colour code). */
        String preview(Token t) {
            if (t.code()) {
                return t.raw();
            }
            StringBuilder probe = new StringBuilder(text.length() > 16 ? text.substring(text.length() - 16) : text);
            int before = probe.length();
            IrcFormatting.appendText(probe, t.raw());
            return probe.substring(before);
        }

        void add(Token t, String added) {
            text.append(added);
            bytes += bytes(added);
            if (t.code()) {
                style = style.apply(t.raw());
            } else {
                hasText = true;
            }
        }

        /** A space is about to be added at the end: the line can be cut before it, going on at token {@code next}. */
        void markBreak(int next) {
            breakIndex = text.length();
            tokenAfterBreak = next;
            styleAtBreak = style;
        }

        String textUpToBreak() {
            String cut = text.substring(0, breakIndex);
            int end = cut.length();
            while (end > 0 && cut.charAt(end - 1) == ' ') {
                end--;
            }
            return cut.substring(0, end);
        }
    }
}
