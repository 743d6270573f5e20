package net.ircbridge.testbed;

import java.util.ArrayList;
import java.util.List;

/**
 * One IRC line, parsed: {@code [@tags] [:prefix] COMMAND params... [:trailing]}.
 *
 * @param raw     the line without CR LF
 * @param prefix  the source ({@code nick!user@host} or a server name), or null
 * @param command the command or three-digit numeric, upper-case
 * @param params  the parameters, the trailing one included
 * @param receivedAtMillis when the line was read (wall clock), to compare with homeserver timestamps
 */
public record IrcMessage(String raw, String prefix, String command, List<String> params, long receivedAtMillis) {

    /** Parses a line (tags are skipped). */
    public static IrcMessage parse(String raw) {
        String rest = raw;
        if (rest.startsWith("@")) {
            int space = rest.indexOf(' ');
            rest = space < 0 ? "" : rest.substring(space + 1);
        }
        String prefix = null;
        if (rest.startsWith(":")) {
            int space = rest.indexOf(' ');
            prefix = space < 0 ? rest.substring(1) : rest.substring(1, space);
            rest = space < 0 ? "" : rest.substring(space + 1);
        }
        List<String> params = new ArrayList<>();
        String command = "";
        while (!rest.isEmpty()) {
            if (rest.startsWith(":") && !command.isEmpty()) {
                params.add(rest.substring(1));
                break;
            }
            int space = rest.indexOf(' ');
            String word = space < 0 ? rest : rest.substring(0, space);
            rest = space < 0 ? "" : rest.substring(space + 1).stripLeading();
            if (command.isEmpty()) {
                command = word.toUpperCase(java.util.Locale.ROOT);
            } else {
                params.add(word);
            }
        }
        return new IrcMessage(raw, prefix, command, List.copyOf(params), System.currentTimeMillis());
    }

    /** The {@code i}-th parameter, or "" when there are fewer. */
    public String param(int i) {
        return i < params.size() ? params.get(i) : "";
    }

    /** The last parameter (the text of a PRIVMSG, the reason of a QUIT), or "". */
    public String trailing() {
        return params.isEmpty() ? "" : params.get(params.size() - 1);
    }

    /** The nick part of the prefix, or null when there is no prefix. */
    public String sourceNick() {
        if (prefix == null) {
            return null;
        }
        int bang = prefix.indexOf('!');
        return bang < 0 ? prefix : prefix.substring(0, bang);
    }

    /** Whether this is {@code command} (case-insensitive). */
    public boolean is(String command) {
        return this.command.equalsIgnoreCase(command);
    }
}
