package net.ircbridge.faults;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.ircbridge.faults.Traffic.Direction;
import net.ircbridge.faults.Traffic.Received;
import net.ircbridge.faults.Traffic.Sent;
import net.ircbridge.faults.Traffic.Token;

/**
 * The invariant checker of the fault suite: from what was sent and what each side received, the figures of a case.
 * Pure logic (no servers), so it has unit tests of its own ({@code ChecksFaultInvariantsTest}); each method's work
 * is linear (or n log n) in its input.
 */
final class ChecksFaultInvariants {

    private ChecksFaultInvariants() {
    }

    /** A change of a Matrix user's membership in one room, in the room's order. */
    record MemberEvent(String userId, String membership, String sender, boolean softKick, long atMillis) {
    }

    /** The IRC observer saw {@code nick} arrive on (or leave) one channel at a moment. */
    record Presence(String nick, boolean present, long atMillis) {
    }

    /** Time a joined Matrix user could read a room while absent from its channel, beyond the grace period. */
    record Exposure(long millis, int messages) {

        Exposure plus(Exposure other) {
            return new Exposure(millis + other.millis, messages + other.messages);
        }
    }

    /**
     * A fault that can take lines with it which no bridge could recover, and the moment it struck. IRC neither
     * acknowledges a line nor keeps one for a reader to fetch again, so two faults have a window that the bridge's
     * durability cannot close:
     * <ul>
     * <li>{@link Kind#IRC_SERVER_DIED}: a Matrix → IRC line the bridge wrote to its connection in the moment before
     *     the IRC server went away is gone with the server (the observer, dropped by the same shutdown, may also have
     *     missed it). A lost Matrix → IRC message is counted as taken by it when the homeserver accepted it at most
     *     {@link #IRC_WINDOW_MILLIS} before the server was gone (flood control may hold a line that long) and no
     *     later message of its stream reached the channel before then: it was still on its way.
     * <li>{@link Kind#BRIDGE_KILLED}: an IRC → Matrix line the bridge read in the moment before a {@code kill -9},
     *     not yet committed to its outbox (group commit). A lost IRC → Matrix message is counted as taken by it when
     *     the observer saw it on the channel at most {@link #KILL_WINDOW_MILLIS} before the kill and no later message
     *     of its stream, said before the kill, reached the room: the outbox commits in order, so a later one stored
     *     means this one was stored too, and its loss would be a defect. The window goes on after the kill until
     *     the IRC server is seen to drop the dead bot ({@code untilMillis}): a line said in between goes to a socket
     *     nobody reads, yet counts as said while the bot was on the channel.
     * <li>{@link Kind#HOMESERVER_STOPPED}: a Matrix → IRC message Synapse accepted in the moment before it was
     *     stopped, while a transaction to the bridge was in flight. Synapse keeps the events for an appservice's next
     *     transaction in memory only, so a stop then loses them before the bridge ever hears of them (Synapse issue
     *     #11637, open). A lost Matrix → IRC message is counted as taken by it when the homeserver accepted it at
     *     most {@link #HOMESERVER_WINDOW_MILLIS} before the stop began (or during it), and no later message of its
     *     stream, accepted before the stop, reached the channel: Synapse sends an appservice's events in order.
     * </ul>
     * Anything else that neither arrived nor was said is lost.
     *
     * @param untilMillis the end of the window: {@code atMillis}, or for a kill, when the bot was seen gone
     */
    record CrashWindow(Kind kind, long atMillis, long untilMillis) {

        CrashWindow(Kind kind, long atMillis) {
            this(kind, atMillis, atMillis);
        }

        enum Kind {
            IRC_SERVER_DIED(Direction.MATRIX_TO_IRC), BRIDGE_KILLED(Direction.IRC_TO_MATRIX), HOMESERVER_STOPPED(Direction.MATRIX_TO_IRC);

            final Direction direction;

            Kind(Direction direction) {
                this.direction = direction;
            }
        }
    }

    /** How long before an IRC server's death a Matrix → IRC message may have been accepted and still be on its way. */
    static final long IRC_WINDOW_MILLIS = 30_000;
    /** How long before a {@code kill -9} an IRC line may have been said and not yet be committed by the bridge. */
    static final long KILL_WINDOW_MILLIS = 3_000;
    /**
     * How long before a homeserver's stop a Matrix message may have been accepted and still wait in its memory for
     * the appservice transaction in flight (one takes up to a second or so on a loaded machine).
     */
    static final long HOMESERVER_WINDOW_MILLIS = 3_000;

    /** As {@link #messages(Direction, Collection, List, Set, List)} with no fault that has a crash window. */
    static MessageFigures messages(Direction direction, Collection<Sent> sent, List<Received> received, Set<String> saidEventIds) {
        return messages(direction, sent, received, saidEventIds, List.of());
    }

    /**
     * Figures for one direction: a sent message counts as delivered when its token arrived at least once; as said
     * when it did not arrive but its event id is in {@code saidEventIds} (the bridge answered it in the room); as
     * taken by a crash window when one of {@code windows} explains it (see {@link CrashWindow}); else as lost.
     * Arrivals of tokens that were never counted as sent are ignored.
     */
    static MessageFigures messages(Direction direction, Collection<Sent> sent, List<Received> received, Set<String> saidEventIds,
            List<CrashWindow> windows) {
        Map<Token, Sent> byToken = new HashMap<>();
        for (Sent s : sent) {
            if (s.token().direction() == direction) {
                byToken.put(s.token(), s);
            }
        }
        Map<Token, Long> firstArrival = new HashMap<>();
        Map<String, Integer> highestPerStream = new HashMap<>();
        int duplicated = 0;
        int reordered = 0;
        for (Received r : received) {
            Token t = r.token();
            if (!byToken.containsKey(t)) {
                continue;
            }
            if (firstArrival.putIfAbsent(t, r.atMillis()) != null) {
                duplicated++;
                continue;
            }
            int highest = highestPerStream.getOrDefault(t.stream(), 0);
            if (t.seq() < highest) {
                reordered++;
            } else {
                highestPerStream.put(t.stream(), t.seq());
            }
        }
        // The delivered messages of each stream, for the crash windows' "a later one got through" test.
        Map<String, List<Sent>> deliveredPerStream = new HashMap<>();
        for (Sent s : byToken.values()) {
            if (firstArrival.containsKey(s.token())) {
                deliveredPerStream.computeIfAbsent(s.token().stream(), k -> new ArrayList<>()).add(s);
            }
        }
        int said = 0;
        int lost = 0;
        int crashWindow = 0;
        for (Sent s : byToken.values()) {
            if (firstArrival.containsKey(s.token())) {
                continue;
            }
            if (s.eventId() != null && saidEventIds.contains(s.eventId())) {
                said++;
            } else if (takenByACrash(s, windows, deliveredPerStream.getOrDefault(s.token().stream(), List.of()), firstArrival)) {
                crashWindow++;
            } else {
                lost++;
            }
        }
        return new MessageFigures(byToken.size(), firstArrival.size(), said, lost, crashWindow, duplicated, reordered);
    }

    /** Whether a message that neither arrived nor was said is explained by one of the crash windows. */
    static boolean takenByACrash(Sent s, List<CrashWindow> windows, List<Sent> deliveredOfItsStream, Map<Token, Long> firstArrival) {
        for (CrashWindow w : windows) {
            if (w.kind().direction != s.token().direction()) {
                continue;
            }
            long window = switch (w.kind()) {
                case IRC_SERVER_DIED -> IRC_WINDOW_MILLIS;
                case BRIDGE_KILLED -> KILL_WINDOW_MILLIS;
                case HOMESERVER_STOPPED -> HOMESERVER_WINDOW_MILLIS;
            };
            if (s.atMillis() > Math.max(w.atMillis(), w.untilMillis()) || s.atMillis() < w.atMillis() - window) {
                continue;
            }
            boolean laterGotThrough = false;
            for (Sent later : deliveredOfItsStream) {
                if (later.token().seq() > s.token().seq() && (w.kind() == CrashWindow.Kind.IRC_SERVER_DIED
                        ? firstArrival.get(later.token()) < w.atMillis()
                        : later.atMillis() <= w.atMillis())) {
                    laterGotThrough = true;
                    break;
                }
            }
            if (!laterGotThrough) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether {@code userId}, who still wants to be in the room, was left soft-kicked by {@code bot}: its last soft
     * kick has no invite from the bot after it.
     */
    static boolean softKickedWithoutInvite(List<MemberEvent> room, String userId, String bot) {
        boolean owed = false;
        for (MemberEvent e : room) {
            if (!e.userId().equals(userId)) {
                continue;
            }
            if (e.softKick() && "leave".equals(e.membership()) && bot.equals(e.sender())) {
                owed = true;
            } else if ("invite".equals(e.membership()) && bot.equals(e.sender())) {
                owed = false;
            } else if ("join".equals(e.membership())) {
                // joined again by themselves: nothing is owed any more
                owed = false;
            }
        }
        return owed;
    }

    /** Invites from {@code bot} to users whose own latest membership change before it was leaving the room. */
    static int invitesAfterOwnLeave(List<MemberEvent> room, String bot) {
        Map<String, String> lastOwn = new HashMap<>();
        int wrong = 0;
        for (MemberEvent e : room) {
            if (e.sender().equals(e.userId())) {
                lastOwn.put(e.userId(), e.membership());
            } else if ("invite".equals(e.membership()) && bot.equals(e.sender()) && "leave".equals(lastOwn.get(e.userId()))) {
                wrong++;
            }
        }
        return wrong;
    }

    /**
     * The privacy column for one user in one room: over every stretch in which the user was joined to the room in
     * Matrix and its nick was not on the channel (as the observer saw it), the time beyond {@code graceMillis}, and
     * the IRC messages that arrived in the room in that time (a joined reader saw them while absent from the
     * channel). Stretches still open at {@code endMillis} end there.
     *
     * @param room      the room's membership changes (any users; only {@code userId}'s count), in order
     * @param presence  the observer's view of {@code userId}'s nick on the room's channel, in order
     * @param arrivals  the room's IRC-to-Matrix messages as they arrived in the room (homeserver time)
     */
    static Exposure exposure(List<MemberEvent> room, String userId, List<Presence> presence, List<Received> arrivals,
            long graceMillis, long endMillis) {
        List<long[]> joined = intervals(room.stream().filter(e -> e.userId().equals(userId))
                .map(e -> new Presence(userId, "join".equals(e.membership()), e.atMillis())).toList(), endMillis);
        List<long[]> present = intervals(presence, endMillis);
        long millis = 0;
        int messages = 0;
        for (long[] j : joined) {
            long cursor = j[0];
            for (long[] p : present) {
                if (p[1] <= cursor || p[0] >= j[1]) {
                    continue;
                }
                if (p[0] > cursor) {
                    long[] gap = {cursor, p[0]};
                    millis += beyondGrace(gap, graceMillis);
                    messages += arrivalsBeyondGrace(gap, graceMillis, arrivals);
                }
                cursor = Math.max(cursor, p[1]);
            }
            if (cursor < j[1]) {
                long[] gap = {cursor, j[1]};
                millis += beyondGrace(gap, graceMillis);
                messages += arrivalsBeyondGrace(gap, graceMillis, arrivals);
            }
        }
        return new Exposure(millis, messages);
    }

    private static long beyondGrace(long[] gap, long graceMillis) {
        return Math.max(0, gap[1] - gap[0] - graceMillis);
    }

    private static int arrivalsBeyondGrace(long[] gap, long graceMillis, List<Received> arrivals) {
        long from = gap[0] + graceMillis;
        if (from >= gap[1]) {
            return 0;
        }
        int n = 0;
        for (Received r : arrivals) {
            if (r.atMillis() > from && r.atMillis() < gap[1]) {
                n++;
            }
        }
        return n;
    }

    /**
     * Whether {@code presence} (in order) says present at {@code atMillis}. A change in the same millisecond may have
     * come before or after the moment (the observer reads a server's lines in batches): then present if either side
     * of it is, so that a line is counted as sent, and as lost if it did not arrive (conservative).
     */
    static boolean presentAt(List<Presence> presence, long atMillis) {
        boolean present = false;
        for (Presence p : presence) {
            if (p.atMillis() > atMillis) {
                break;
            }
            present = p.atMillis() == atMillis ? present || p.present() : p.present();
        }
        return present;
    }

    /** [start, end) of every stretch in which the events say "present", in order; one still open ends at {@code end}. */
    private static List<long[]> intervals(List<Presence> changes, long end) {
        List<long[]> out = new ArrayList<>();
        Long since = null;
        for (Presence p : changes) {
            if (p.present() && since == null) {
                since = p.atMillis();
            } else if (!p.present() && since != null) {
                out.add(new long[] {since, Math.max(since, p.atMillis())});
                since = null;
            }
        }
        if (since != null) {
            out.add(new long[] {since, Math.max(since, end)});
        }
        return out;
    }
}
