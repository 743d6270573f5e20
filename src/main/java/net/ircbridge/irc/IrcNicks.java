package net.ircbridge.irc;

/** Nicks that IRC servers accept, made from whatever a Matrix user calls themselves. */
public final class IrcNicks {

    /** NICKLEN when the server hasn't said (RFC 2812 allows 9; today's servers allow 30 or more). */
    public static final int DEFAULT_LENGTH = 30;

    private IrcNicks() {
    }

    /**
     * Keeps the characters a nick may hold (letters, digits and {@code []\`_^{|}-}), makes sure it doesn't start
     * with a digit or '-', and cuts it to {@code maxLength}. An empty result becomes {@code fallback}'s cleaning.
     */
    public static String clean(String desired, String fallback, int maxLength) {
        String nick = keepValid(desired);
        if (nick.isEmpty()) {
            nick = keepValid(fallback);
        }
        if (nick.isEmpty()) {
            nick = "matrixuser";
        }
        if (Character.isDigit(nick.charAt(0)) || nick.charAt(0) == '-') {
            nick = "_" + nick;
        }
        return nick.length() > maxLength ? nick.substring(0, maxLength) : nick;
    }

    /** Another nick to try when {@code nick} is taken: a trailing '_', then digits, within the length. */
    public static String alternative(String nick, int attempt, int maxLength) {
        String suffix = attempt <= 1 ? "_" : String.valueOf(attempt);
        String base = nick.replaceFirst("(_|\\d+)$", "");
        if (base.length() + suffix.length() > maxLength) {
            base = base.substring(0, Math.max(1, maxLength - suffix.length()));
        }
        return base + suffix;
    }

    private static String keepValid(String s) {
        if (s == null) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        for (char c : s.toCharArray()) {
            if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "[]\\`_^{|}-".indexOf(c) >= 0) {
                out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * The user name (ident) of a connection: letters and digits of {@code localpart}, at most 10 of them, so that
     * IRC operators can tell the bridge's users apart and ban one of them ({@code KLINE *alice@host}) without the
     * others.
     */
    public static String ident(String localpart) {
        String ident = localpart == null ? "" : localpart.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9]", "");
        if (ident.isEmpty()) {
            ident = "matrix";
        }
        return ident.length() > 10 ? ident.substring(0, 10) : ident;
    }

    /** A parameter for an IRC line: CR, LF and NUL would end the line or the command, so they never get in. */
    public static String safeText(String text) {
        return text == null ? "" : text.replaceAll("[\\r\\n\\x00]+", " ").strip();
    }

    /**
     * Whether {@code nick} may stand as the target or parameter of a command the bridge sends: not empty, at most
     * {@code maxLength} bytes, and nothing that would make it a mask, a list, a channel or another parameter (no
     * byte at or below space, none of {@code ,*?!@} or DEL, no leading {@code :}, {@code #}, {@code &}, {@code $} or
     * status prefix; a leading digit stays allowed, as InspIRCd's collision nicks are UIDs). Nicks decoded from ghost user ids go through this, so {@code =2a} never becomes {@code *!*@*}.
     */
    public static boolean isSafeTarget(String nick, int maxLength) {
        if (nick == null || nick.isEmpty() || nick.getBytes(java.nio.charset.StandardCharsets.UTF_8).length > maxLength) {
            return false;
        }
        char first = nick.charAt(0);
        if (":#&$+!~%@-".indexOf(first) >= 0) {
            return false;
        }
        for (int i = 0; i < nick.length(); i++) {
            char c = nick.charAt(i);
            if (c <= ' ' || c == 0x7f || ",*?!@".indexOf(c) >= 0) {
                return false;
            }
        }
        return true;
    }
}
