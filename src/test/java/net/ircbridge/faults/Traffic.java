package net.ircbridge.faults;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The numbered messages of a fault case and what became of them. Every message's text is a token
 * {@code <m2i|i2m> <run> <stream> <seq>}: the direction, the case run's tag, the sending stream (one sender in one
 * room) and a sequence number counting from 1 per stream, so loss, duplication and order can be computed from
 * what each side received.
 */
final class Traffic {

    private static final Pattern TOKEN = Pattern.compile("(m2i|i2m) (\\w+) (\\w+) (\\d+)");

    private Traffic() {
    }

    /** Which way a message travels. */
    enum Direction {
        MATRIX_TO_IRC("m2i"), IRC_TO_MATRIX("i2m");

        final String code;

        Direction(String code) {
            this.code = code;
        }

        static Direction of(String code) {
            return code.equals("m2i") ? MATRIX_TO_IRC : IRC_TO_MATRIX;
        }
    }

    /** One message's identity, as written in its text. */
    record Token(Direction direction, String run, String stream, int seq) {

        String text() {
            return direction.code + " " + run + " " + stream + " " + seq;
        }

        /** The token a received text is (the whole text, nothing around it), or null. */
        static Token parse(String text) {
            Matcher m = TOKEN.matcher(text.strip());
            if (!m.matches()) {
                return null;
            }
            return new Token(Direction.of(m.group(1)), m.group(2), m.group(3), Integer.parseInt(m.group(4)));
        }
    }

    /**
     * A message that was sent: for Matrix to IRC, one the homeserver accepted ({@code eventId} is its event); for
     * IRC to Matrix, one the IRC observer saw on the channel (so the bridge's bot, on the same channel, got it too).
     */
    record Sent(Token token, String eventId, long atMillis) {
    }

    /** A message that arrived on the other side (the IRC observer's view, or a room's timeline), in arrival order. */
    record Received(Token token, long atMillis) {
    }
}
