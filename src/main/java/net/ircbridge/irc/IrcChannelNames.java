package net.ircbridge.irc;

import java.nio.charset.StandardCharsets;

/**
 * The one rule for what may be a channel name, wherever a name comes from (an alias, a third-party lookup, the
 * configuration, a server's reply): it starts with one of the server's {@code CHANTYPES}, fits its
 * {@code CHANNELLEN} in bytes, and holds no byte that would end or split a command (none at or below space, no
 * comma, colon, BEL or DEL). A name that breaks it never becomes a portal or a JOIN.
 */
public final class IrcChannelNames {

    /** CHANTYPES when the server hasn't said (RFC 2812's {@code #&+!}, narrowed to what servers use today). */
    public static final String DEFAULT_CHANTYPES = "#&";
    /** CHANNELLEN when the server hasn't said: RFC 2812 allows 50, InspIRCd and Solanum 64. */
    public static final int DEFAULT_LENGTH = 64;

    private IrcChannelNames() {
    }

    /** Whether {@code name} is a channel name under the defaults. */
    public static boolean isValid(String name) {
        return isValid(name, DEFAULT_CHANTYPES, DEFAULT_LENGTH);
    }

    /** Whether {@code name} is a channel name on a server that announced {@code chantypes} and {@code maxLength}. */
    public static boolean isValid(String name, String chantypes, int maxLength) {
        if (name == null || name.length() < 2 || chantypes == null || chantypes.indexOf(name.charAt(0)) < 0) {
            return false;
        }
        if (name.getBytes(StandardCharsets.UTF_8).length > maxLength) {
            return false;
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c <= ' ' || c == ',' || c == ':' || c == 0x07 || c == 0x7f || Character.isSurrogate(c) && !validPair(name, i)) {
                return false;
            }
        }
        return true;
    }

    private static boolean validPair(String s, int i) {
        char c = s.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
        }
        return i > 0 && Character.isHighSurrogate(s.charAt(i - 1));
    }
}
