package net.ircbridge.irc;

import java.util.ArrayList;
import java.util.List;

/**
 * IRC's formatting codes (modern.ircdocs.horse/formatting): toggles for bold, italic, underline, strikethrough,
 * monospace and reverse, colours ({@code ^C} with up to two digits for the foreground and optionally a comma and
 * two more for the background; {@code ^D} with hex colours), and reset ({@code ^O}).
 */
public final class IrcFormatting {

    public static final char BOLD = '\u0002';
    public static final char COLOUR = '\u0003';
    public static final char HEX_COLOUR = '\u0004';
    public static final char RESET = '\u000F';
    public static final char MONOSPACE = '\u0011';
    public static final char REVERSE = '\u0016';
    public static final char ITALIC = '\u001D';
    public static final char STRIKETHROUGH = '\u001E';
    public static final char UNDERLINE = '\u001F';

    private IrcFormatting() {
    }

    /** Whether a character starts a formatting code. */
    public static boolean isCode(char c) {
        return c == BOLD || c == COLOUR || c == HEX_COLOUR || c == RESET || c == MONOSPACE || c == REVERSE
                || c == ITALIC || c == STRIKETHROUGH || c == UNDERLINE;
    }

    /** A piece of IRC text: one formatting code with its parameters, or one code point of text. */
    public record Token(String raw, boolean code) {
    }

    /** The text cut into formatting codes (each with its colour numbers) and code points. */
    public static List<Token> tokens(String text) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        while (i < text.length()) {
            char c = text.charAt(i);
            int end;
            if (c == COLOUR) {
                end = colourEnd(text, i + 1, 2, false);
            } else if (c == HEX_COLOUR) {
                end = colourEnd(text, i + 1, 6, true);
            } else if (isCode(c)) {
                end = i + 1;
            } else {
                end = i + Character.charCount(text.codePointAt(i));
                out.add(new Token(text.substring(i, end), false));
                i = end;
                continue;
            }
            out.add(new Token(text.substring(i, end), true));
            i = end;
        }
        return out;
    }

    /** Where the digits after a colour code end: {@code fg[,bg]}, a comma only when a digit follows it. */
    private static int colourEnd(String s, int from, int digits, boolean hex) {
        return colourEnd(s, from, s.length(), digits, hex);
    }

    /** {@link #colourEnd(String, int, int, boolean)} in {@code s} up to {@code end}. */
    private static int colourEnd(String s, int from, int end, int digits, boolean hex) {
        int i = from;
        int n = 0;
        while (i < end && n < digits && isDigit(s.charAt(i), hex)) {
            i++;
            n++;
        }
        if (hex && n != digits) {
            return from;
        }
        if (n > 0 && i + 1 < end && s.charAt(i) == ',' && isDigit(s.charAt(i + 1), hex)) {
            int j = i + 1;
            int m = 0;
            while (j < end && m < digits && isDigit(s.charAt(j), hex)) {
                j++;
                m++;
            }
            if (!hex || m == digits) {
                return j;
            }
        }
        return i;
    }

    private static boolean isDigit(char c, boolean hex) {
        return (c >= '0' && c <= '9') || (hex && ((c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F')));
    }

    /**
     * Whether {@code text[from, to)} has nothing but formatting codes (with their colour numbers) and white space:
     * {@code strip(text.substring(from, to)).isBlank()} without making either string.
     */
    public static boolean isBlank(String text, int from, int to) {
        int i = from;
        while (i < to) {
            char c = text.charAt(i);
            if (c == COLOUR) {
                i = colourEnd(text, i + 1, to, 2, false);
            } else if (c == HEX_COLOUR) {
                i = colourEnd(text, i + 1, to, 6, true);
            } else if (isCode(c)) {
                i++;
            } else {
                // Every white space character is in the BMP, so a surrogate is text.
                if (!Character.isWhitespace(c)) {
                    return false;
                }
                i++;
            }
        }
        return true;
    }

    /** Removes every formatting code (with its colour numbers). */
    public static String strip(String text) {
        StringBuilder out = new StringBuilder(text.length());
        for (Token t : tokens(text)) {
            if (!t.code()) {
                out.append(t.raw());
            }
        }
        return out.toString();
    }

    /**
     * The formatting in force at a point of a line. Colours are kept as the client would read them: numbers 0-99
     * for {@code ^C} ("04"), six hex digits for {@code ^D}; null when unset.
     */
    public record Style(boolean bold, boolean italic, boolean underline, boolean strikethrough, boolean monospace,
            boolean reverse, String foreground, String background, boolean hex) {

        public static final Style PLAIN = new Style(false, false, false, false, false, false, null, null, false);

        /** The style after a formatting code. */
        public Style apply(String code) {
            switch (code.charAt(0)) {
                case BOLD:
                    return new Style(!bold, italic, underline, strikethrough, monospace, reverse, foreground, background, hex);
                case ITALIC:
                    return new Style(bold, !italic, underline, strikethrough, monospace, reverse, foreground, background, hex);
                case UNDERLINE:
                    return new Style(bold, italic, !underline, strikethrough, monospace, reverse, foreground, background, hex);
                case STRIKETHROUGH:
                    return new Style(bold, italic, underline, !strikethrough, monospace, reverse, foreground, background, hex);
                case MONOSPACE:
                    return new Style(bold, italic, underline, strikethrough, !monospace, reverse, foreground, background, hex);
                case REVERSE:
                    return new Style(bold, italic, underline, strikethrough, monospace, !reverse, foreground, background, hex);
                case RESET:
                    return PLAIN;
                case COLOUR:
                case HEX_COLOUR: {
                    String digits = code.substring(1);
                    boolean isHex = code.charAt(0) == HEX_COLOUR;
                    if (digits.isEmpty()) {
                        return new Style(bold, italic, underline, strikethrough, monospace, reverse, null, null, false);
                    }
                    int comma = digits.indexOf(',');
                    String fg = comma < 0 ? digits : digits.substring(0, comma);
                    String bg = comma < 0 ? (isHex == hex ? background : null) : digits.substring(comma + 1);
                    return new Style(bold, italic, underline, strikethrough, monospace, reverse, fg, bg, isHex);
                }
                default:
                    return this;
            }
        }

        /** Whether anything is on. */
        public boolean isPlain() {
            return equals(PLAIN);
        }

        /**
         * The codes that turn this style on from plain text. Colours are written with two digits, so that text
         * starting with a digit is not read as part of them.
         */
        public String codes() {
            StringBuilder out = new StringBuilder();
            if (bold) {
                out.append(BOLD);
            }
            if (italic) {
                out.append(ITALIC);
            }
            if (underline) {
                out.append(UNDERLINE);
            }
            if (strikethrough) {
                out.append(STRIKETHROUGH);
            }
            if (monospace) {
                out.append(MONOSPACE);
            }
            if (reverse) {
                out.append(REVERSE);
            }
            if (foreground != null) {
                out.append(hex ? HEX_COLOUR : COLOUR).append(hex ? foreground : twoDigits(foreground));
                if (background != null) {
                    out.append(',').append(hex ? background : twoDigits(background));
                }
            }
            return out.toString();
        }

        private static String twoDigits(String n) {
            return n.length() == 1 ? "0" + n : n;
        }
    }

    /**
     * Appends text after formatting codes without changing how the codes read: a colour code followed by a digit
     * (or by a comma and a digit) would swallow them, so two bolds, which cancel out, go between.
     */
    public static void appendText(StringBuilder line, String text) {
        if (!text.isEmpty() && endsWithColour(line) && (Character.isDigit(text.charAt(0)) || text.charAt(0) == ',')) {
            line.append(BOLD).append(BOLD);
        }
        line.append(text);
    }

    private static boolean endsWithColour(StringBuilder line) {
        int from = Math.max(0, line.length() - 14);
        for (int i = line.length() - 1; i >= from; i--) {
            char c = line.charAt(i);
            if (c == COLOUR || c == HEX_COLOUR) {
                List<Token> tail = tokens(line.substring(i));
                return tail.size() == 1 && tail.get(0).code();
            }
        }
        return false;
    }
}
