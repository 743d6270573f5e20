package net.ircbridge.irc;

import java.text.BreakIterator;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.kitteh.irc.client.library.Client;
import org.kitteh.irc.client.library.element.User;

/**
 * The one place where the lines the bridge sends to IRC are made: a command, its middle parameters and an optional
 * trailing parameter, so that no value from Matrix can end a line, add a command, widen a target or make a line
 * too long for the server (which KICL answers by throwing, so the whole command was lost).
 *
 * <ul>
 *   <li>A middle parameter is refused ({@link IrcLineRefused}) when it is empty, starts with {@code :}, or holds a
 *       space, CR, LF or NUL: removing them would change what it names, and sending them would split it.</li>
 *   <li>Targets follow the rules that already exist: a channel {@link IrcChannelNames#isValid(String, String, int)}
 *       (the server's CHANTYPES and CHANNELLEN), a nick {@link IrcNicks#isSafeTarget} (never a mask, a list or a
 *       channel, within NICKLEN), so that a ghost decoded from {@code =2a} can never become {@code *} or, in a ban,
 *       {@code *!*@*}.</li>
 *   <li>The trailing parameter has each run of CR, LF and NUL replaced by one space and is cut so that the whole
 *       line, with the prefix the server puts in front when it relays it ({@code :nick!user@host }, estimated from
 *       the connection with the longest user and host where they are not known yet), fits in 512 bytes with CR LF.
 *       The cut never splits a UTF-8 character and steps back to the start of a grapheme (a letter with its
 *       accents, a surrogate pair) when one is near.</li>
 * </ul>
 * The work per line is linear in its input, and the cut looks no further than the budget.
 */
public final class BuildsIrcLines {

    /** What a line may hold without its CR LF. */
    public static final int MAX_LINE_BYTES = 510;
    /** The longest host the server may show in the prefix, when the connection's own is not known yet. */
    static final int LONGEST_HOST = 63;
    /** The longest user name ({@code ~} and a 10-character ident) when the connection's own is not known yet. */
    static final int LONGEST_USER = 11;
    /** How many characters a cut steps back, at most, to keep a grapheme whole; past that it cuts between code points. */
    static final int GRAPHEME_LOOKBACK = 32;

    private BuildsIrcLines() {
    }

    /** What the server allows in names: NICKLEN, CHANTYPES and CHANNELLEN. */
    public record Rules(int nickLength, String chantypes, int channelLength) {

        /** The rules when the server hasn't said. */
        public static final Rules DEFAULT = new Rules(IrcNicks.DEFAULT_LENGTH, IrcChannelNames.DEFAULT_CHANTYPES,
                IrcChannelNames.DEFAULT_LENGTH);

        /**
         * The rules a client's server announced, with the defaults for what it didn't (KICL's own defaults for
         * CHANTYPES and CHANNELLEN are RFC 1459's, wider than what servers use today, so they don't count).
         */
        public static Rules of(Client client) {
            if (client == null) {
                return DEFAULT;
            }
            var info = client.getServerInfo();
            int nickLength = info.getNickLengthLimit();
            String chantypes = IrcChannelNames.DEFAULT_CHANTYPES;
            if (info.getISupportParameter("CHANTYPES").isPresent() && !info.getChannelPrefixes().isEmpty()) {
                chantypes = info.getChannelPrefixes().stream().map(String::valueOf).collect(Collectors.joining());
            }
            int channelLength = info.getISupportParameter("CHANNELLEN").isPresent() ? info.getChannelLengthLimit() : -1;
            return new Rules(nickLength > 0 ? nickLength : IrcNicks.DEFAULT_LENGTH, chantypes,
                    channelLength > 0 ? channelLength : IrcChannelNames.DEFAULT_LENGTH);
        }

        /** Whether {@code name} is a channel name under these rules ({@link IrcChannelNames}). */
        public boolean isChannel(String name) {
            return IrcChannelNames.isValid(name, chantypes, channelLength);
        }
    }

    /** A finished line (without CR LF), and its trailing parameter as it went out (null if it has none). */
    public record Line(String text, String trailing) {
    }

    /** A line for a client: its server's rules, and the prefix its server will put in front of it. */
    public static Builder line(Client client, String command) {
        return new Builder(client, Rules.of(client), relayPrefixBytes(client), command);
    }

    /** A line under {@code rules}, relayed with a prefix of {@code prefixBytes} (for tests, and callers without a client). */
    public static Builder line(Rules rules, int prefixBytes, String command) {
        return new Builder(null, rules, prefixBytes, command);
    }

    /**
     * The bytes of the prefix the server puts in front of a client's line when it relays it:
     * {@code :nick!user@host } with the client's own nick, user and host, or the longest ones while they are unknown.
     */
    public static int relayPrefixBytes(Client client) {
        if (client == null) {
            return relayPrefixBytes(null, IrcNicks.DEFAULT_LENGTH, null, null);
        }
        Optional<User> self = client.getUser();
        int nickLength = client.getServerInfo().getNickLengthLimit();
        return relayPrefixBytes(client.getNick(), nickLength > 0 ? nickLength : IrcNicks.DEFAULT_LENGTH,
                self.map(User::getUserString).orElse(null), self.map(User::getHost).orElse(null));
    }

    /** As {@link #relayPrefixBytes(Client)}; a null nick, user or host counts as the longest one. */
    public static int relayPrefixBytes(String nick, int nickLength, String user, String host) {
        int n = nick == null || nick.isEmpty() ? nickLength : bytes(nick);
        int u = user == null || user.isEmpty() ? LONGEST_USER : bytes(user);
        int h = host == null || host.isEmpty() ? LONGEST_HOST : bytes(host);
        return 1 + n + 1 + u + 1 + h + 1;
    }

    /** One line being made; nothing is sent until {@link #send()}. */
    public static final class Builder {
        private final Client client;
        private final Rules rules;
        private final int prefixBytes;
        private final String command;
        private final List<String> middle = new ArrayList<>(3);
        private String trailing;
        private Mode mode;
        private String ctcp;

        private enum Mode { REASON, TEXT, CTCP, WHOLE }

        private Builder(Client client, Rules rules, int prefixBytes, String command) {
            this.client = client;
            this.rules = rules;
            this.prefixBytes = prefixBytes;
            this.command = command;
        }

        /** A nick as the target (or parameter) of the command: refused unless {@link IrcNicks#isSafeTarget}. */
        public Builder nick(String nick) {
            if (!IrcNicks.isSafeTarget(nick, rules.nickLength())) {
                throw new IrcLineRefused(nick, "\"" + printable(nick) + "\" is not a nick the bridge can name on IRC");
            }
            middle.add(nick);
            return this;
        }

        /** A channel: refused unless {@link IrcChannelNames#isValid(String, String, int)} under the server's rules. */
        public Builder channel(String channel) {
            if (!rules.isChannel(channel)) {
                throw new IrcLineRefused(channel, "\"" + printable(channel) + "\" is not a channel the bridge can name on IRC");
            }
            middle.add(channel);
            return this;
        }

        /** A channel or a nick, told apart by the server's CHANTYPES. */
        public Builder target(String target) {
            if (target != null && !target.isEmpty() && rules.chantypes().indexOf(target.charAt(0)) >= 0) {
                return channel(target);
            }
            return nick(target);
        }

        /** The ban mask of a nick, {@code nick!*@*}: the nick must be a safe target, so the mask never widens. */
        public Builder banMask(String nick) {
            nick(nick);
            middle.set(middle.size() - 1, nick + "!*@*");
            return this;
        }

        /** Any other middle parameter (a mode, a services nick from the configuration). */
        public Builder middle(String param) {
            if (param == null || param.isEmpty() || param.charAt(0) == ':' || hasAny(param, " \r\n\u0000")) {
                throw new IrcLineRefused(param, "\"" + printable(param) + "\" cannot be a parameter of an IRC command");
            }
            middle.add(param);
            return this;
        }

        /** A reason, topic or other free text: cleaned of CR, LF and NUL, stripped of spaces at its ends, cut to fit. */
        public Builder trailing(String text) {
            return last(text, Mode.REASON);
        }

        /** A line of a message, already split to fit: cleaned of CR, LF and NUL, kept as it is otherwise (cut if need be). */
        public Builder text(String line) {
            return last(line, Mode.TEXT);
        }

        /** A CTCP ({@code \u0001TYPE text\u0001}), the text cut inside the framing, which stays whole. */
        public Builder ctcp(String type, String text) {
            this.ctcp = type;
            return last(text, Mode.CTCP);
        }

        /** Text that must go whole or not at all (a password): refused rather than cut. */
        public Builder whole(String text) {
            return last(text, Mode.WHOLE);
        }

        private Builder last(String text, Mode how) {
            this.trailing = text == null ? "" : text;
            this.mode = how;
            return this;
        }

        /** The bytes a trailing parameter of this line may have. */
        public int room() {
            return MAX_LINE_BYTES - prefixBytes - bytes(head()) - 2;
        }

        private String head() {
            StringBuilder head = new StringBuilder(command);
            middle.forEach(p -> head.append(' ').append(p));
            return head.toString();
        }

        /** The line, its trailing parameter cut to fit; refused if even without it the line is too long. */
        public Line build() {
            String head = head();
            int room = MAX_LINE_BYTES - prefixBytes - bytes(head) - 2;
            if (trailing == null) {
                if (room + 2 < 0) {
                    throw new IrcLineRefused(head, "the " + command + " line would be too long for IRC");
                }
                return new Line(head, null);
            }
            if (room < 0) {
                throw new IrcLineRefused(head, "the " + command + " line would be too long for IRC");
            }
            String t = switch (mode) {
                case REASON -> cut(trailing, room, true);
                case TEXT -> cut(trailing, room, false);
                case CTCP -> {
                    String framing = "\u0001" + ctcp + " \u0001";
                    yield "\u0001" + ctcp + " " + cut(trailing.replace("\u0001", ""), room - bytes(framing), false) + "\u0001";
                }
                case WHOLE -> {
                    String cleaned = cut(trailing, Integer.MAX_VALUE, false);
                    if (bytes(cleaned) > room || !cleaned.equals(trailing)) {
                        throw new IrcLineRefused("", "the " + command + " line would be too long for IRC, or would break it");
                    }
                    yield cleaned;
                }
            };
            return new Line(head + " :" + t, t);
        }

        /** Builds the line and hands it to the client's queue. */
        public Line send() {
            if (client == null) {
                throw new IllegalStateException("no client to send " + command + " with");
            }
            Line line = build();
            client.sendRawLine(line.text());
            return line;
        }
    }

    /**
     * {@code text} with each run of CR, LF and NUL made one space (and an unpaired surrogate U+FFFD), cut to at most
     * {@code maxBytes} UTF-8 bytes at a character boundary, stepping back to a grapheme's start when one is within
     * {@link #GRAPHEME_LOOKBACK} characters. {@code strip}: without spaces at either end. Reads no further into
     * {@code text} than the cut needs (leading spaces aside).
     */
    public static String cut(String text, int maxBytes, boolean strip) {
        if (text == null || maxBytes <= 0) {
            return "";
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), Math.min(maxBytes, 1024)));
        int bytes = 0;
        int i = 0;
        int n = text.length();
        if (strip) {
            while (i < n && isSpaceOrBreak(text.charAt(i))) {
                i++;
            }
        }
        boolean truncated = false;
        boolean inBreak = false;
        while (i < n) {
            char c = text.charAt(i);
            if (c == '\r' || c == '\n' || c == '\0') {
                i++;
                if (!inBreak) {
                    inBreak = true;
                    if (bytes + 1 > maxBytes) {
                        truncated = true;
                        break;
                    }
                    out.append(' ');
                    bytes++;
                }
                continue;
            }
            inBreak = false;
            int cp;
            int width;
            if (Character.isHighSurrogate(c) && i + 1 < n && Character.isLowSurrogate(text.charAt(i + 1))) {
                cp = Character.toCodePoint(c, text.charAt(i + 1));
                width = 2;
            } else {
                cp = Character.isSurrogate(c) ? 0xFFFD : c;
                width = 1;
            }
            int b = cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            if (bytes + b > maxBytes) {
                truncated = true;
                break;
            }
            out.appendCodePoint(cp);
            bytes += b;
            i += width;
        }
        if (truncated) {
            keepGraphemeWhole(out, text, i);
        }
        if (strip) {
            int end = out.length();
            while (end > 0 && out.charAt(end - 1) == ' ') {
                end--;
            }
            out.setLength(end);
        }
        return out.toString();
    }

    /** Steps a cut back to the start of the grapheme it falls in, if that start is near. */
    private static void keepGraphemeWhole(StringBuilder out, String text, int next) {
        int at = out.length();
        if (at == 0) {
            return;
        }
        // What follows the cut decides whether it falls inside a grapheme (a combining accent, say).
        String ahead = text.substring(next, Math.min(text.length(), next + GRAPHEME_LOOKBACK)).replaceAll("[\\r\\n\\x00]", " ");
        int from = Math.max(0, at - GRAPHEME_LOOKBACK);
        String window = out.substring(from) + ahead;
        BreakIterator graphemes = BreakIterator.getCharacterInstance(java.util.Locale.ROOT);
        graphemes.setText(window);
        int local = at - from;
        if (graphemes.isBoundary(local)) {
            return;
        }
        int start = graphemes.preceding(local);
        // A grapheme longer than the look-back (a letter under dozens of accents) is cut between code points, and
        // so is a text that is one grapheme: better part of it than nothing.
        if (start > 0) {
            out.setLength(from + start);
        }
    }

    private static boolean isSpaceOrBreak(char c) {
        return c == ' ' || c == '\r' || c == '\n' || c == '\0';
    }

    private static boolean hasAny(String s, String chars) {
        for (int i = 0; i < s.length(); i++) {
            if (chars.indexOf(s.charAt(i)) >= 0) {
                return true;
            }
        }
        return false;
    }

    /** A refused value as it can be shown: control characters as {@code ?}, and not too long. */
    private static String printable(String value) {
        if (value == null) {
            return "";
        }
        String shown = value.length() > 64 ? value.substring(0, 64) + "…" : value;
        return shown.replaceAll("[\\p{Cc}]", "?");
    }

    /** UTF-8 length of a string (an unpaired surrogate counts as the U+FFFD it becomes). */
    public static int bytes(String s) {
        return SplitsMessagesIntoIrcLines.bytes(s);
    }
}
