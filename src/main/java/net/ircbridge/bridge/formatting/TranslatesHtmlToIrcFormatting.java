package net.ircbridge.bridge.formatting;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.BiFunction;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.ircbridge.irc.IrcFormatting;

/**
 * A Matrix message's HTML ({@code formatted_body}, org.matrix.custom.html) as IRC text: bold, italic, underline,
 * strikethrough, inline code and colours become IRC's formatting codes (colours the nearest of the 16 every client
 * shows); what IRC cannot show degrades to readable text: paragraphs, line breaks, headings and preformatted blocks
 * become lines, block quotes lines starting with "> ", list items lines starting with "• " or their number, links
 * their text followed by the address (when the text isn't the address), images their alt text, spoilers black on
 * black. A pill (a matrix.to link to a user) becomes that user's IRC nick. The reply fallback ({@code <mx-reply>})
 * is left out.
 *
 * <p>The body is a stranger's input, so the work is linear in its size and bounded: it is read once, left to right,
 * by a hand-written scanner (no regular expression runs over the body, none rescans it); elements nested deeper
 * than {@value #MAX_DEPTH} levels are flattened (their lines and list items still show, at the deepest indentation,
 * but they open no further state); and the translation stops once its output is longer than asked for, saying so
 * ({@link Translated#cut()}), so that the caller links to the full message. A tag that is never closed by a
 * {@code >} makes the rest of the body text.
 */
public final class TranslatesHtmlToIrcFormatting {

    /** How many elements nest before deeper ones are flattened: far more than any client writes. */
    public static final int MAX_DEPTH = 32;
    /** The output cap of {@link #translate(String, BiFunction)}. */
    public static final int DEFAULT_MAX_LENGTH = 16 * 1024;
    /** The only attributes the translation reads; others are skipped without being kept. */
    private static final Set<String> READ_ATTRIBUTES = Set.of("alt", "title", "start", "href", "color", "data-mx-color",
            "data-mx-bg-color", "data-mx-spoiler");
    private static final Set<String> BLOCK = Set.of("p", "div", "pre", "blockquote", "ul", "ol", "h1", "h2", "h3", "h4", "h5",
            "h6", "tr", "table", "details", "summary", "li");
    private static final Pattern USER_PERMALINK = Pattern.compile("https://matrix\\.to/#/(@[^/?\"]+)(?:[/?].*)?");
    private static final Set<String> VOID = Set.of("br", "hr", "img", "input", "meta", "link", "wbr", "col", "area", "source");
    private static final Set<String> SKIPPED = Set.of("mx-reply", "script", "style", "head", "title");
    private static final Map<String, String> ENTITIES = Map.of("amp", "&", "lt", "<", "gt", ">", "quot", "\"", "apos", "'",
            "nbsp", "\u00a0");

    private TranslatesHtmlToIrcFormatting() {
    }

    /** IRC text, lines separated by '\n', and whether it was cut at the output cap. */
    public record Translated(String text, boolean cut) {
    }

    /**
     * @param html   the formatted body
     * @param nickOf the IRC nick for a pill: the user id and the pill's text, to the nick
     * @return IRC text, lines separated by '\n', at most {@value #DEFAULT_MAX_LENGTH} characters
     */
    public static String translate(String html, BiFunction<String, String, String> nickOf) {
        return translate(html, nickOf, DEFAULT_MAX_LENGTH).text();
    }

    /**
     * @param html      the formatted body
     * @param nickOf    the IRC nick for a pill: the user id and the pill's text, to the nick
     * @param maxLength the longest output, in characters: the translation stops there and says it was cut
     */
    public static Translated translate(String html, BiFunction<String, String, String> nickOf, int maxLength) {
        return new Translation(nickOf, Math.max(1, maxLength)).run(html);
    }

    /** One translation's state. */
    private static final class Translation {
        private final BiFunction<String, String, String> nickOf;
        private final StringBuilder out = new StringBuilder();
        private final Map<Character, Integer> toggles = new HashMap<>();
        private final Deque<String> colours = new ArrayDeque<>();
        private final Deque<Frame> open = new ArrayDeque<>();
        private final Deque<int[]> lists = new ArrayDeque<>();
        /** Elements opened past {@link #MAX_DEPTH}, by name: their closing tags close nothing else. */
        private final Map<String, Integer> flattened = new HashMap<>();
        private final int maxLength;
        /** Where each kind of quote no longer occurs in the body, once a search found none (-1: not known yet). */
        private int noDoubleQuoteFrom = -1;
        private int noSingleQuoteFrom = -1;
        private int skip;
        private int pre;
        private int quote;
        private boolean lineStart = true;
        private boolean pendingSpace;

        Translation(BiFunction<String, String, String> nickOf, int maxLength) {
            this.nickOf = nickOf;
            this.maxLength = maxLength;
        }

        /** What an open element did, to be undone when it closes. */
        private record Frame(String name, char toggle, boolean colour, boolean block, String href, int start, boolean quoted,
                boolean list) {
        }

        /** A tag as read: its name (lower case), whether it closes, whether it closes itself, where it ends. */
        private record Tag(String name, boolean closing, boolean selfClosing, Map<String, String> attrs, int end) {
        }

        /** What {@link #tagAt} answers for a tag that no {@code >} ends: the rest of the body is text. */
        private static final Tag UNTERMINATED = new Tag("", false, false, Map.of(), -1);

        Translated run(String html) {
            int at = 0;
            int from = 0;
            boolean cut = false;
            while (true) {
                if (out.length() > maxLength) {
                    cut = true;
                    break;
                }
                int lt = html.indexOf('<', from);
                if (lt < 0) {
                    break;
                }
                Tag tag = tagAt(html, lt);
                if (tag == null) {
                    from = lt + 1;
                    continue;
                }
                if (tag == UNTERMINATED) {
                    break;
                }
                text(html.substring(at, lt));
                if (tag.closing()) {
                    close(tag.name());
                } else {
                    openTag(tag.name(), tag.attrs(), tag.selfClosing() || VOID.contains(tag.name()));
                }
                at = from = tag.end();
            }
            if (!cut) {
                text(html.substring(at));
                cut = out.length() > maxLength;
            }
            return new Translated(lines(cut ? cutAt(maxLength) : out.toString()), cut);
        }

        /** The output's first {@code length} characters, not ending inside a character. */
        private String cutAt(int length) {
            int end = Math.min(length, out.length());
            if (end > 0 && Character.isHighSurrogate(out.charAt(end - 1))) {
                end--;
            }
            return out.substring(0, end);
        }

        /** The lines of the output without trailing spaces, blank ones left out: one pass. */
        private static String lines(String text) {
            StringBuilder result = new StringBuilder(text.length());
            int start = 0;
            int n = text.length();
            while (start <= n) {
                int end = start;
                while (end < n && text.charAt(end) != '\n' && text.charAt(end) != '\r') {
                    end++;
                }
                int last = end;
                while (last > start && text.charAt(last - 1) == ' ') {
                    last--;
                }
                if (!IrcFormatting.isBlank(text, start, last)) {
                    if (result.length() > 0) {
                        result.append('\n');
                    }
                    result.append(text, start, last);
                }
                if (end + 1 < n && text.charAt(end) == '\r' && text.charAt(end + 1) == '\n') {
                    end++;
                }
                start = end + 1;
            }
            return result.toString();
        }

        /**
         * The tag that starts at {@code lt} (a {@code <}): null when none does (the {@code <} is text), or
         * {@link #UNTERMINATED}. Attributes as HTML reads them: a name, optionally {@code =} and a value in double or
         * single quotes or without; a quote that is never closed starts an unquoted value. Reads each character once.
         */
        private Tag tagAt(String html, int lt) {
            int n = html.length();
            int p = lt + 1;
            boolean closing = p < n && html.charAt(p) == '/';
            if (closing) {
                p++;
            }
            if (p >= n || !isAsciiLetter(html.charAt(p))) {
                return null;
            }
            int nameStart = p;
            while (p < n && (isAsciiLetter(html.charAt(p)) || isAsciiDigit(html.charAt(p)) || html.charAt(p) == '-')) {
                p++;
            }
            if (p < n && !isSpace(html.charAt(p)) && html.charAt(p) != '/' && html.charAt(p) != '>') {
                return null;
            }
            String name = html.substring(nameStart, p).toLowerCase(Locale.ROOT);
            Map<String, String> attrs = new HashMap<>();
            while (true) {
                while (p < n && isSpace(html.charAt(p))) {
                    p++;
                }
                if (p >= n) {
                    return UNTERMINATED;
                }
                char c = html.charAt(p);
                if (c == '>') {
                    return new Tag(name, closing, false, attrs, p + 1);
                }
                if (c == '/') {
                    p++;
                    if (p < n && html.charAt(p) == '>') {
                        return new Tag(name, closing, true, attrs, p + 1);
                    }
                    continue;
                }
                int attrStart = p;
                p++;
                while (p < n && !isSpace(html.charAt(p)) && "=/>".indexOf(html.charAt(p)) < 0) {
                    p++;
                }
                int attrEnd = p;
                while (p < n && isSpace(html.charAt(p))) {
                    p++;
                }
                String value = "";
                if (p < n && html.charAt(p) == '=') {
                    p++;
                    while (p < n && isSpace(html.charAt(p))) {
                        p++;
                    }
                    int close = p < n && (html.charAt(p) == '"' || html.charAt(p) == '\'') ? closingQuote(html, p) : -1;
                    if (close >= 0) {
                        value = html.substring(p + 1, close);
                        p = close + 1;
                    } else {
                        int valueStart = p;
                        while (p < n && !isSpace(html.charAt(p)) && html.charAt(p) != '>') {
                            p++;
                        }
                        value = html.substring(valueStart, p);
                    }
                }
                if (attrEnd - attrStart <= 16) {
                    String attr = html.substring(attrStart, attrEnd).toLowerCase(Locale.ROOT);
                    if (READ_ATTRIBUTES.contains(attr)) {
                        attrs.put(attr, decode(value));
                    }
                }
            }
        }

        /**
         * Where the quote opened at {@code open} closes, or -1. Once a kind of quote was not found after a point, it is
         * not looked for again there: otherwise each of many unclosed quotes would search the whole rest.
         */
        private int closingQuote(String html, int open) {
            char quote = html.charAt(open);
            int none = quote == '"' ? noDoubleQuoteFrom : noSingleQuoteFrom;
            if (none >= 0 && open >= none) {
                return -1;
            }
            int close = html.indexOf(quote, open + 1);
            if (close < 0) {
                if (quote == '"') {
                    noDoubleQuoteFrom = open;
                } else {
                    noSingleQuoteFrom = open;
                }
            }
            return close;
        }

        private static boolean isAsciiLetter(char c) {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        }

        private static boolean isAsciiDigit(char c) {
            return c >= '0' && c <= '9';
        }

        /** HTML's white space (as {@code \\s} read it). */
        private static boolean isSpace(char c) {
            return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\u000b';
        }

        private void openTag(String name, Map<String, String> attrs, boolean selfClosing) {
            // Past the depth cap an element only does what needs no undoing (a new line, a list item's bullet).
            boolean flatten = !selfClosing && open.size() >= MAX_DEPTH;
            if (SKIPPED.contains(name)) {
                if (!selfClosing) {
                    skip++;
                    push(new Frame(name, '\0', false, false, null, 0, false, false), flatten);
                }
                return;
            }
            if (skip > 0) {
                if (!selfClosing) {
                    push(new Frame(name, '\0', false, false, null, 0, false, false), flatten);
                }
                return;
            }
            boolean block = BLOCK.contains(name);
            if (block) {
                newline();
            }
            switch (name) {
                case "br" -> newline();
                case "hr" -> {
                    newline();
                    emit("---");
                    newline();
                }
                case "img" -> {
                    String alt = attrs.getOrDefault("alt", attrs.getOrDefault("title", ""));
                    text(alt.isBlank() ? "[image]" : alt);
                }
                case "li" -> {
                    newline();
                    int[] list = lists.peek();
                    String indent = "  ".repeat(Math.max(0, lists.size() - 1));
                    emit(indent + (list != null && list[0] == 1 ? (list[1]++) + ". " : "• "));
                }
                case "td", "th" -> {
                    if (!lineStart) {
                        emit(" | ");
                    }
                }
                default -> {
                }
            }
            if (selfClosing) {
                return;
            }
            if (flatten) {
                flattened.merge(name, 1, Integer::sum);
                return;
            }
            char toggle = switch (name) {
                case "b", "strong" -> IrcFormatting.BOLD;
                case "i", "em", "cite" -> IrcFormatting.ITALIC;
                case "u", "ins" -> IrcFormatting.UNDERLINE;
                case "s", "del", "strike" -> IrcFormatting.STRIKETHROUGH;
                case "code", "pre", "kbd", "samp", "tt" -> IrcFormatting.MONOSPACE;
                case "h1", "h2", "h3", "h4", "h5", "h6" -> IrcFormatting.BOLD;
                default -> '\0';
            };
            boolean quoted = name.equals("blockquote");
            if (quoted) {
                quote++;
            }
            if (name.equals("pre")) {
                pre++;
            }
            boolean list = name.equals("ul") || name.equals("ol");
            if (list) {
                int start = 1;
                try {
                    start = Integer.parseInt(attrs.getOrDefault("start", "1").trim());
                } catch (NumberFormatException ignored) {
                    // a start that isn't a number counts from 1
                }
                lists.push(new int[] {name.equals("ol") ? 1 : 0, start});
            }
            String colour = colourOf(attrs);
            if (colour != null) {
                colours.push(colour);
                emitCode(IrcFormatting.COLOUR + colour);
            }
            if (toggle != '\0') {
                toggle(toggle, +1);
            }
            String href = name.equals("a") ? attrs.getOrDefault("href", "") : null;
            if (href != null) {
                // A pill replaces what the link wrote; the quote prefix of its line must stay.
                emit("");
            }
            open.push(new Frame(name, toggle, colour != null, block, href, out.length(), quoted, list));
        }

        /** Opens an element, or only counts it when it is past the depth cap. */
        private void push(Frame f, boolean flatten) {
            if (flatten) {
                flattened.merge(f.name(), 1, Integer::sum);
            } else {
                open.push(f);
            }
        }

        private void close(String name) {
            Integer deeper = flattened.get(name);
            if (deeper != null) {
                // The innermost element of that name was flattened: it closes, nothing else does.
                if (deeper == 1) {
                    flattened.remove(name);
                } else {
                    flattened.put(name, deeper - 1);
                }
                if (SKIPPED.contains(name)) {
                    skip--;
                } else if (skip == 0 && BLOCK.contains(name)) {
                    newline();
                }
                return;
            }
            // At most MAX_DEPTH frames to look through.
            boolean isOpen = false;
            for (Frame f : open) {
                isOpen |= f.name().equals(name);
            }
            if (!isOpen) {
                return;
            }
            while (!open.isEmpty()) {
                Frame f = open.pop();
                undo(f);
                if (f.name().equals(name)) {
                    return;
                }
            }
        }

        private void undo(Frame f) {
            if (SKIPPED.contains(f.name())) {
                skip--;
                return;
            }
            if (skip > 0) {
                return;
            }
            if (f.href() != null) {
                link(f);
            }
            if (f.toggle() != '\0') {
                toggle(f.toggle(), -1);
            }
            if (f.colour()) {
                colours.pop();
                emitCode(colours.isEmpty() ? String.valueOf(IrcFormatting.COLOUR) : IrcFormatting.COLOUR + colours.peek());
            }
            if (f.name().equals("pre")) {
                pre--;
            }
            if (f.quoted()) {
                newline();
                quote--;
            }
            if (f.list()) {
                lists.pop();
            }
            if (f.block()) {
                newline();
            }
        }

        /** A link: a pill becomes the nick; other links keep their text and add the address if it differs. */
        private void link(Frame f) {
            String inner = out.substring(Math.min(f.start(), out.length()));
            String plain = IrcFormatting.strip(inner).trim();
            Matcher user = USER_PERMALINK.matcher(f.href());
            if (user.matches()) {
                String userId = java.net.URLDecoder.decode(user.group(1), java.nio.charset.StandardCharsets.UTF_8);
                out.setLength(f.start());
                emit(nickOf.apply(userId, plain));
                return;
            }
            String href = f.href();
            if (href.isBlank() || href.startsWith("https://matrix.to/#/") || plain.equals(href)
                    || href.equals("mailto:" + plain) || href.replaceFirst("^https?://", "").replaceFirst("/$", "").equals(plain)) {
                if (plain.isEmpty() && !href.isBlank()) {
                    emit(href);
                }
                return;
            }
            if (plain.isEmpty()) {
                emit(href);
            } else {
                emit(" (" + href + ")");
            }
        }

        private void toggle(char code, int delta) {
            int before = toggles.getOrDefault(code, 0);
            int after = Math.max(0, before + delta);
            toggles.put(code, after);
            if ((before == 0) != (after == 0)) {
                emitCode(String.valueOf(code));
            }
        }

        /** An IRC colour for font/span colour attributes; a spoiler is black on black. */
        private static String colourOf(Map<String, String> attrs) {
            if (attrs.containsKey("data-mx-spoiler")) {
                return "01,01";
            }
            String fg = IrcColours.nearest(attrs.getOrDefault("data-mx-color", attrs.get("color")));
            String bg = IrcColours.nearest(attrs.get("data-mx-bg-color"));
            if (fg == null) {
                return bg == null ? null : "99," + bg;
            }
            return bg == null ? fg : fg + "," + bg;
        }

        private void text(String raw) {
            if (skip > 0 || raw.isEmpty()) {
                return;
            }
            String decoded = decode(raw);
            if (pre > 0) {
                String[] lines = decoded.split("\n", -1);
                for (int i = 0; i < lines.length; i++) {
                    if (i > 0) {
                        newline();
                    }
                    if (!lines[i].isEmpty()) {
                        emit(lines[i]);
                    }
                }
                return;
            }
            StringBuilder words = new StringBuilder();
            for (int i = 0; i < decoded.length(); i++) {
                char c = decoded.charAt(i);
                if (Character.isWhitespace(c) && c != '\u00a0') {
                    if (words.length() > 0) {
                        emit(words.toString());
                        words.setLength(0);
                    }
                    pendingSpace = true;
                } else {
                    words.append(c == '\u00a0' ? ' ' : c);
                }
            }
            if (words.length() > 0) {
                emit(words.toString());
            }
        }

        private void emit(String s) {
            if (lineStart) {
                if (quote > 0) {
                    out.append("> ".repeat(quote));
                }
                lineStart = false;
                pendingSpace = false;
            } else if (pendingSpace) {
                out.append(' ');
                pendingSpace = false;
            }
            IrcFormatting.appendText(out, s);
        }

        private void emitCode(String code) {
            if (pendingSpace && !lineStart) {
                out.append(' ');
                pendingSpace = false;
            }
            out.append(code);
        }

        private void newline() {
            pendingSpace = false;
            if (!lineStart) {
                out.append('\n');
                lineStart = true;
                // Formatting still on carries over: the line splitter turns it on again on the next line.
            }
        }

        /** The longest entity read ({@code &#x10FFFF;} and every named one are shorter). */
        private static final int MAX_ENTITY = 32;

        /**
         * Text with its character references decoded: {@code &#65;}, {@code &#x41;} and the named ones IRC text needs;
         * anything else is kept as written. One pass; a reference is looked for over at most {@value #MAX_ENTITY}
         * characters.
         */
        static String decode(String s) {
            int amp = s.indexOf('&');
            if (amp < 0) {
                return s;
            }
            StringBuilder out = new StringBuilder(s.length());
            int at = 0;
            while (amp >= 0) {
                int semi = -1;
                int limit = Math.min(s.length(), amp + MAX_ENTITY);
                for (int i = amp + 1; i < limit; i++) {
                    char c = s.charAt(i);
                    if (c == ';') {
                        semi = i;
                        break;
                    }
                    if (!isAsciiLetter(c) && !isAsciiDigit(c) && c != '#') {
                        break;
                    }
                }
                String replacement = semi < 0 ? null : reference(s.substring(amp + 1, semi));
                if (replacement != null) {
                    out.append(s, at, amp).append(replacement);
                    at = semi + 1;
                    amp = s.indexOf('&', at);
                } else {
                    amp = s.indexOf('&', amp + 1);
                }
            }
            return out.append(s, at, s.length()).toString();
        }

        /** What a reference (between {@code &} and {@code ;}) stands for, or null to keep it as written. */
        private static String reference(String e) {
            if (e.isEmpty()) {
                return null;
            }
            if (e.charAt(0) != '#') {
                for (int i = 0; i < e.length(); i++) {
                    if (!isAsciiLetter(e.charAt(i))) {
                        return null;
                    }
                }
                return ENTITIES.get(e);
            }
            boolean hex = e.length() > 1 && (e.charAt(1) == 'x' || e.charAt(1) == 'X');
            String digits = e.substring(hex ? 2 : 1);
            if (digits.isEmpty() || digits.length() > (hex ? 6 : 7)) {
                return null;
            }
            int cp = 0;
            for (int i = 0; i < digits.length(); i++) {
                int d = Character.digit(digits.charAt(i), hex ? 16 : 10);
                if (d < 0 || digits.charAt(i) > 'f') {
                    return null;
                }
                cp = cp * (hex ? 16 : 10) + d;
            }
            return Character.isValidCodePoint(cp) ? new String(Character.toChars(cp)) : null;
        }
    }
}
