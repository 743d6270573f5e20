package net.ircbridge.irc.kicl;

import org.jboss.logging.Logger;

/**
 * Keeps lines no IRC server may send from reaching KICL and the bridge: a line with a NUL, CR or LF inside (KICL
 * splits only at CR LF, so a lone CR or LF would stay inside a parameter, and from there could reach a line the
 * bridge sends), tags longer than IRCv3's {@value #MAX_TAG_BYTES} bytes, or the rest longer than the
 * {@value #MAX_MESSAGE_BYTES} bytes RFC 1459 allows (CR LF included). KICL's own frame limit (9,001 bytes) lets an
 * 8 KB PRIVMSG through; this does not. The limits are the protocol's, not a setting.
 *
 * <p>Work per line is one pass over it. Invalid UTF-8 has already become U+FFFD (KICL decodes with replacement);
 * each counts as the one byte it most likely was, so that a long line in Latin-1 is not taken for an overlong one.
 * Refused lines are logged without their content (which may be anything), the first one and then one in
 * {@value #LOG_EVERY}, with the count.
 */
final class RefusesMalformedLines {
    private static final Logger LOG = Logger.getLogger(RefusesMalformedLines.class);
    static final int MAX_TAG_BYTES = 8191;
    static final int MAX_MESSAGE_BYTES = 512 - 2;
    static final int LOG_EVERY = 1000;

    private long refused;

    /** Whether the line may be handled; counts and now and then logs the others. */
    boolean accepts(String clientName, String line) {
        String why = problem(line);
        if (why == null) {
            return true;
        }
        long n;
        synchronized (this) {
            n = ++this.refused;
        }
        if (n == 1 || n % LOG_EVERY == 0) {
            LOG.warn("[" + clientName + "] refused a malformed line from the server (" + why + "; " + n + " so far)");
        }
        return false;
    }

    /** What is wrong with a line, or {@code null}. */
    static String problem(String line) {
        int start = 0;
        if (line.startsWith("@")) {
            int space = line.indexOf(' ');
            int end = space < 0 ? line.length() : space;
            if (utf8Bytes(line, 0, end) > MAX_TAG_BYTES) {
                return "tags over " + MAX_TAG_BYTES + " bytes";
            }
            start = end;
        }
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '\0' || c == '\r' || c == '\n') {
                return "NUL, CR or LF inside";
            }
        }
        if (utf8Bytes(line, start, line.length()) > MAX_MESSAGE_BYTES) {
            return "longer than 512 bytes";
        }
        return null;
    }

    private static int utf8Bytes(String s, int from, int to) {
        int bytes = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            if (c < 0x80 || c == '\uFFFD') {
                bytes++;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isSurrogate(c)) {
                bytes += 2; // a pair is 4 bytes
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
