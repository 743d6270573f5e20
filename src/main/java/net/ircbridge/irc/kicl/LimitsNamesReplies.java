package net.ircbridge.irc.kicl;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import net.ircbridge.irc.IrcNicks;
import org.jboss.logging.Logger;

/**
 * Hands KICL at most so many nicks of each channel's NAMES reply (353 … 366), because KICL copies a channel's whole
 * member list into every event about it: a server that lists 20,000 nicks would make every later JOIN, NICK and
 * PRIVMSG on that channel cost 20,000. The connection's own nick always goes through, so it still sees itself on
 * the channel. What is left out is logged once per reply.
 *
 * <p>One pass over each line; the per-channel counts are bounded ({@value #MAX_CHANNELS} replies under way at
 * once, more than a server has reason to send interleaved).
 */
final class LimitsNamesReplies {
    private static final Logger LOG = Logger.getLogger(LimitsNamesReplies.class);
    static final int MAX_CHANNELS = 256;
    private static final String PREFIXES = "~&@%+!.";

    private final int max;
    /** Per channel (lower case), the nicks handed on so far in the reply under way, and those left out. */
    private final Map<String, int[]> replies = new HashMap<>();

    LimitsNamesReplies(int max) {
        this.max = Math.max(0, max);
    }

    /** The line to hand KICL: as it came, without the names past the limit, or {@code null} when none are left. */
    synchronized String limit(String clientName, String ownNick, String line) {
        if (max == Integer.MAX_VALUE) {
            return line;
        }
        int i = 0;
        if (line.startsWith("@")) {
            i = skipWord(line, 0);
        }
        if (i < line.length() && line.charAt(i) == ':') {
            i = skipWord(line, i);
        }
        int commandEnd = line.indexOf(' ', i);
        if (commandEnd < 0) {
            return line;
        }
        String command = line.substring(i, commandEnd);
        if (command.equals("366")) {
            endOfNames(clientName, line, commandEnd);
            return line;
        }
        if (!command.equals("353")) {
            return line;
        }
        int trailing = line.indexOf(" :", commandEnd);
        if (trailing < 0) {
            return line;
        }
        String[] middle = line.substring(commandEnd + 1, trailing).trim().split(" +");
        String channel = middle[middle.length - 1].toLowerCase(Locale.ROOT);
        if (!replies.containsKey(channel) && replies.size() >= MAX_CHANNELS) {
            replies.clear();
        }
        int[] counts = replies.computeIfAbsent(channel, c -> new int[2]);
        List<String> kept = new ArrayList<>();
        for (String name : line.substring(trailing + 2).split(" ")) {
            if (name.isEmpty()) {
                continue;
            }
            if (counts[0] < max) {
                counts[0]++;
                kept.add(name);
            } else if (ownNick != null && nickOf(name).equalsIgnoreCase(ownNick)) {
                kept.add(name);
            } else {
                counts[1]++;
            }
        }
        if (kept.isEmpty()) {
            return null;
        }
        return line.substring(0, trailing + 2) + String.join(" ", kept);
    }

    private void endOfNames(String clientName, String line, int commandEnd) {
        String[] params = line.substring(commandEnd + 1).split(" ");
        if (params.length < 2) {
            return;
        }
        int[] counts = replies.remove(params[1].toLowerCase(Locale.ROOT));
        if (counts != null && counts[1] > 0) {
            LOG.warn("[" + clientName + "] " + IrcNicks.safeText(params[1]) + " lists " + (counts[0] + counts[1])
                    + " users; only " + counts[0] + " are tracked");
        }
    }

    /** The nick of a NAMES entry: without status prefixes, and without {@code !user@host} (userhost-in-names). */
    private static String nickOf(String entry) {
        int start = 0;
        while (start < entry.length() && PREFIXES.indexOf(entry.charAt(start)) >= 0) {
            start++;
        }
        int bang = entry.indexOf('!', start);
        return entry.substring(start, bang < 0 ? entry.length() : bang);
    }

    private static int skipWord(String line, int from) {
        int space = line.indexOf(' ', from);
        return space < 0 ? line.length() : space + 1;
    }
}
