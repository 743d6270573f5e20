package net.ircbridge.bridge.formatting;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.ircbridge.irc.IrcFormatting;
import net.ircbridge.irc.IrcFormatting.Style;
import net.ircbridge.irc.IrcFormatting.Token;

/**
 * An IRC line as a Matrix message: a plain {@code body} without formatting codes, and, when the line had any
 * formatting or mentions, an HTML {@code formatted_body} (org.matrix.custom.html): bold, italic, underline,
 * strikethrough, monospace and colours become {@code <b>}, {@code <i>}, {@code <u>}, {@code <del>}, {@code <code>}
 * and {@code <font data-mx-color>}; a word that is the nick of a Matrix user becomes a pill (a matrix.to link to
 * them) and is listed in {@code m.mentions}. Control characters other than formatting are dropped.
 */
public final class TranslatesIrcFormattingToHtml {

    /** Characters an IRC nick may contain: a mention is a whole word of them. */
    private static final Pattern NICK_WORD = Pattern.compile("[A-Za-z0-9\\[\\]\\\\`_^{|}-]+");

    private TranslatesIrcFormattingToHtml() {
    }

    /** A Matrix message's text: the plain body, the HTML (null when plain says it all) and the users it mentions. */
    public record MatrixText(String body, String html, List<String> mentions) {
    }

    /**
     * @param text      the IRC text, formatting codes included
     * @param mentionOf the Matrix user a word (a nick) stands for, if any
     */
    public static MatrixText translate(String text, Function<String, Optional<String>> mentionOf) {
        List<Run> runs = runs(text);
        StringBuilder body = new StringBuilder();
        StringBuilder html = new StringBuilder();
        Set<String> mentioned = new LinkedHashSet<>();
        boolean formatted = false;
        for (Run run : runs) {
            body.append(run.text);
            List<String> open = tags(run.style);
            formatted |= !open.isEmpty();
            open.forEach(t -> html.append('<').append(t).append('>'));
            html.append(withPills(run.text, mentionOf, mentioned));
            for (int i = open.size() - 1; i >= 0; i--) {
                String t = open.get(i);
                html.append("</").append(t, 0, t.contains(" ") ? t.indexOf(' ') : t.length()).append('>');
            }
        }
        boolean useHtml = formatted || !mentioned.isEmpty();
        return new MatrixText(body.toString(), useHtml ? html.toString() : null, List.copyOf(mentioned));
    }

    private record Run(String text, Style style) {
    }

    /** The text cut where its formatting changes; control characters left out. */
    private static List<Run> runs(String text) {
        List<Run> runs = new ArrayList<>();
        Style style = Style.PLAIN;
        StringBuilder current = new StringBuilder();
        for (Token t : IrcFormatting.tokens(text)) {
            if (t.code()) {
                Style next = style.apply(t.raw());
                if (!next.equals(style) && current.length() > 0) {
                    runs.add(new Run(current.toString(), style));
                    current.setLength(0);
                }
                style = next;
            } else if (t.raw().codePointAt(0) >= 0x20 && t.raw().codePointAt(0) != 0x7f) {
                current.append(t.raw());
            }
        }
        if (current.length() > 0) {
            runs.add(new Run(current.toString(), style));
        }
        return runs;
    }

    /** The HTML elements (with attributes) that show a style, outermost first. */
    private static List<String> tags(Style s) {
        List<String> tags = new ArrayList<>();
        String fg = s.hex() ? hex(s.foreground()) : IrcColours.hexOf(s.foreground());
        String bg = s.hex() ? hex(s.background()) : IrcColours.hexOf(s.background());
        if (s.reverse() && fg != null && bg != null) {
            String swap = fg;
            fg = bg;
            bg = swap;
        }
        if (fg != null || bg != null) {
            StringBuilder font = new StringBuilder("font");
            if (fg != null) {
                font.append(" data-mx-color=\"").append(fg).append('"');
            }
            if (bg != null) {
                font.append(" data-mx-bg-color=\"").append(bg).append('"');
            }
            tags.add(font.toString());
        }
        if (s.bold()) {
            tags.add("b");
        }
        if (s.italic()) {
            tags.add("i");
        }
        if (s.underline()) {
            tags.add("u");
        }
        if (s.strikethrough()) {
            tags.add("del");
        }
        if (s.monospace()) {
            tags.add("code");
        }
        return tags;
    }

    private static String hex(String digits) {
        return digits == null ? null : "#" + digits.toLowerCase(java.util.Locale.ROOT);
    }

    /** Escaped text, with the nicks of Matrix users as pills. */
    private static String withPills(String text, Function<String, Optional<String>> mentionOf, Set<String> mentioned) {
        StringBuilder out = new StringBuilder();
        Matcher m = NICK_WORD.matcher(text);
        int at = 0;
        while (m.find()) {
            Optional<String> user = mentionOf.apply(m.group());
            if (user.isEmpty()) {
                continue;
            }
            out.append(escape(text.substring(at, m.start())));
            out.append("<a href=\"https://matrix.to/#/").append(escape(user.get())).append("\">").append(escape(m.group())).append("</a>");
            mentioned.add(user.get());
            at = m.end();
        }
        out.append(escape(text.substring(at)));
        return out.toString();
    }

    /** Text made safe for HTML. */
    public static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
