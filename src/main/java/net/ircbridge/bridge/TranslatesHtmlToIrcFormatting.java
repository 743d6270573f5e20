package net.ircbridge.bridge;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
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
 */
public final class TranslatesHtmlToIrcFormatting {

    private static final Pattern TAG = Pattern.compile("<(/?)([a-zA-Z][a-zA-Z0-9-]*)((?:\\s+[^\\s=/>]+(?:\\s*=\\s*(?:\"[^\"]*\"|'[^']*'|[^\\s>]+))?)*)\\s*(/?)>");
    private static final Pattern ATTRIBUTE = Pattern.compile("([^\\s=/>]+)(?:\\s*=\\s*(?:\"([^\"]*)\"|'([^']*)'|([^\\s>]+)))?");
    private static final Pattern USER_PERMALINK = Pattern.compile("https://matrix\\.to/#/(@[^/?\"]+)(?:[/?].*)?");
    private static final Set<String> VOID = Set.of("br", "hr", "img", "input", "meta", "link", "wbr", "col", "area", "source");
    private static final Set<String> SKIPPED = Set.of("mx-reply", "script", "style", "head", "title");
    private static final Map<String, String> ENTITIES = Map.of("amp", "&", "lt", "<", "gt", ">", "quot", "\"", "apos", "'",
            "nbsp", "\u00a0");

    private TranslatesHtmlToIrcFormatting() {
    }

    /**
     * @param html   the formatted body
     * @param nickOf the IRC nick for a pill: the user id and the pill's text, to the nick
     * @return IRC text, lines separated by '\n'
     */
    public static String translate(String html, BiFunction<String, String, String> nickOf) {
        return new Translation(nickOf).run(html);
    }

    /** One translation's state. */
    private static final class Translation {
        private final BiFunction<String, String, String> nickOf;
        private final StringBuilder out = new StringBuilder();
        private final Map<Character, Integer> toggles = new HashMap<>();
        private final Deque<String> colours = new ArrayDeque<>();
        private final Deque<Frame> open = new ArrayDeque<>();
        private final Deque<int[]> lists = new ArrayDeque<>();
        private int skip;
        private int pre;
        private int quote;
        private boolean lineStart = true;
        private boolean pendingSpace;

        Translation(BiFunction<String, String, String> nickOf) {
            this.nickOf = nickOf;
        }

        /** What an open element did, to be undone when it closes. */
        private record Frame(String name, char toggle, boolean colour, boolean block, String href, int start, boolean quoted,
                boolean list) {
        }

        String run(String html) {
            Matcher m = TAG.matcher(html);
            int at = 0;
            while (m.find()) {
                text(html.substring(at, m.start()));
                String name = m.group(2).toLowerCase(Locale.ROOT);
                if (!m.group(1).isEmpty()) {
                    close(name);
                } else {
                    openTag(name, attributes(m.group(3)), !m.group(4).isEmpty() || VOID.contains(name));
                }
                at = m.end();
            }
            text(html.substring(at));
            return out.toString().lines().map(l -> l.replaceFirst(" +$", "")).filter(l -> !IrcFormatting.strip(l).isBlank())
                    .reduce((a, b) -> a + "\n" + b).orElse("");
        }

        private void openTag(String name, Map<String, String> attrs, boolean selfClosing) {
            if (SKIPPED.contains(name)) {
                if (!selfClosing) {
                    skip++;
                    open.push(new Frame(name, '\0', false, false, null, 0, false, false));
                }
                return;
            }
            if (skip > 0) {
                if (!selfClosing) {
                    open.push(new Frame(name, '\0', false, false, null, 0, false, false));
                }
                return;
            }
            boolean block = Set.of("p", "div", "pre", "blockquote", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6", "tr",
                    "table", "details", "summary", "li").contains(name);
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

        private void close(String name) {
            if (open.stream().noneMatch(f -> f.name().equals(name))) {
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

        private static Map<String, String> attributes(String raw) {
            Map<String, String> attrs = new HashMap<>();
            Matcher m = ATTRIBUTE.matcher(raw);
            while (m.find()) {
                String value = m.group(2) != null ? m.group(2) : m.group(3) != null ? m.group(3) : m.group(4) != null ? m.group(4) : "";
                attrs.put(m.group(1).toLowerCase(Locale.ROOT), decode(value));
            }
            return attrs;
        }

        private static final Pattern ENTITY = Pattern.compile("&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]+);");

        static String decode(String s) {
            if (s.indexOf('&') < 0) {
                return s;
            }
            Matcher m = ENTITY.matcher(s);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                String e = m.group(1);
                String replacement;
                if (e.startsWith("#")) {
                    try {
                        int cp = e.length() > 1 && (e.charAt(1) == 'x' || e.charAt(1) == 'X')
                                ? Integer.parseInt(e.substring(2), 16) : Integer.parseInt(e.substring(1));
                        replacement = Character.isValidCodePoint(cp) ? new String(Character.toChars(cp)) : m.group();
                    } catch (NumberFormatException ex) {
                        replacement = m.group();
                    }
                } else {
                    replacement = Optional.ofNullable(ENTITIES.get(e)).orElse(m.group());
                }
                m.appendReplacement(out, Matcher.quoteReplacement(replacement));
            }
            m.appendTail(out);
            return out.toString();
        }
    }
}
