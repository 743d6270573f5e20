package net.ircbridge.irc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import net.ircbridge.irc.ConnectionLifecycle.End;
import net.ircbridge.irc.ConnectionLifecycle.Policy;
import net.ircbridge.irc.ConnectionLifecycle.State;
import net.ircbridge.irc.ConnectionLifecycle.Transition;
import org.junit.jupiter.api.Test;

/** Drives the connection state machine through every transition, with no network and no jitter. */
class ConnectionLifecycleTest {

    private static final Policy USER = Policy.user(2);

    private static ConnectionLifecycle user() {
        return new ConnectionLifecycle(USER, base -> base);
    }

    private static ConnectionLifecycle bot() {
        return new ConnectionLifecycle(Policy.BOT, base -> base);
    }

    private static void assertTransition(Transition t, State from, State to) {
        assertEquals(from, t.from(), "from");
        assertEquals(to, t.to(), "to");
    }

    @Test
    void connectsDropsReconnectsAndComesBackAsDesignSays() {
        ConnectionLifecycle c = user();
        assertEquals(State.CONNECTING, c.state());
        assertTransition(c.registered(), State.CONNECTING, State.CONNECTED);
        Transition lost = c.ended(End.DROPPED);
        assertTransition(lost, State.CONNECTED, State.LOST);
        assertEquals(2_000, lost.retryInMillis(), "the network's reconnect delay first");
        assertTrue(lost.outage(), "the first loss after being up begins an outage");
        assertTransition(c.retryDue(), State.LOST, State.RECONNECTING);
        Transition back = c.registered();
        assertTransition(back, State.RECONNECTING, State.CONNECTED);
        assertTrue(back.outage(), "coming back ends the outage that was told");
        assertEquals(0, c.failures());
    }

    @Test
    void eachFailedAttemptInARowDoublesTheWaitUpToTheLongestAndTellsTheOutageOnce() {
        ConnectionLifecycle c = user();
        c.registered();
        List<Long> delays = new ArrayList<>();
        List<Boolean> outages = new ArrayList<>();
        Transition t = c.ended(End.DROPPED);
        for (int i = 0; i < 10; i++) {
            delays.add(t.retryInMillis());
            outages.add(t.outage());
            c.retryDue();
            t = c.ended(End.DROPPED);
            assertTransition(t, State.RECONNECTING, State.LOST);
        }
        assertEquals(List.of(2_000L, 4_000L, 8_000L, 16_000L, 32_000L, 64_000L, 128_000L, 256_000L, 300_000L, 300_000L), delays);
        assertEquals(List.of(true, false, false, false, false, false, false, false, false, false), outages);
        assertEquals(11, c.failures());
        // Back at last: the wait starts from the beginning next time.
        c.retryDue();
        assertTrue(c.registered().outage());
        assertEquals(2_000, c.ended(End.DROPPED).retryInMillis());
    }

    @Test
    void thePolicysWaitIsBetweenHalfAndAllOfItsDoubledDelayWithJitter() {
        Policy p = Policy.user(2);
        for (int failures = 0; failures < 12; failures++) {
            long base = Math.min(300_000L, 2_000L << failures);
            for (int i = 0; i < 50; i++) {
                long d = p.delayAfter(failures);
                assertTrue(d >= base / 2 && d <= base, failures + " failures: " + d + " not in [" + base / 2 + ", " + base + "]");
            }
        }
    }

    @Test
    void aFirstAttemptThatFailsIsLostButNoOutageToTell() {
        ConnectionLifecycle c = user();
        Transition t = c.ended(End.DROPPED);
        assertTransition(t, State.CONNECTING, State.LOST);
        assertFalse(t.outage(), "never up: there is nothing to say is back");
        c.retryDue();
        assertFalse(c.registered().outage());
    }

    @Test
    void aUsersConnectionRefusedForGoodFailsFromAnyLiveStateAndConnectsAgainOnlyWhenAsked() {
        for (State start : List.of(State.CONNECTING, State.CONNECTED, State.RECONNECTING)) {
            ConnectionLifecycle c = in(user(), start);
            Transition t = c.ended(End.REFUSED);
            assertTransition(t, start, State.FAILED);
            assertEquals(-1, t.retryInMillis(), "no retry");
            assertFalse(c.retryDue().changed(), "a retry due after the failure does nothing");
            assertTransition(c.connectAgain(), State.FAILED, State.CONNECTING);
            assertEquals(0, c.failures());
        }
    }

    @Test
    void theBotRetriesARefusalLikeADrop() {
        ConnectionLifecycle c = bot();
        c.registered();
        Transition t = c.ended(End.REFUSED);
        assertTransition(t, State.CONNECTED, State.LOST);
        assertEquals(1_000, t.retryInMillis());
        assertTrue(t.outage());
    }

    @Test
    void aClosedConnectionIgnoresWhatComesLateAndConnectsAgainWhenAsked() {
        for (State start : EnumSet.complementOf(EnumSet.of(State.CLOSED))) {
            ConnectionLifecycle c = in(user(), start);
            assertTransition(c.close(), start, State.CLOSED);
            assertFalse(c.ended(End.DROPPED).changed(), "an end after the close changes nothing (from " + start + ")");
            assertFalse(c.retryDue().changed());
            assertFalse(c.registered().changed());
            assertFalse(c.close().changed());
            assertTransition(c.connectAgain(), State.CLOSED, State.CONNECTING);
        }
    }

    @Test
    void everyOtherInputLeavesTheStateAsItIs() {
        // The inputs each state takes; anything else must not change it.
        record Allowed(State state, Set<String> inputs) {
        }
        List<Allowed> table = List.of(
                new Allowed(State.CONNECTING, Set.of("registered", "dropped", "refused", "close")),
                new Allowed(State.CONNECTED, Set.of("dropped", "refused", "close")),
                new Allowed(State.LOST, Set.of("retryDue", "close")),
                new Allowed(State.RECONNECTING, Set.of("registered", "dropped", "refused", "close")),
                new Allowed(State.FAILED, Set.of("connectAgain", "close")),
                new Allowed(State.CLOSED, Set.of("connectAgain")));
        for (Allowed row : table) {
            for (String input : List.of("registered", "dropped", "refused", "retryDue", "connectAgain", "close")) {
                ConnectionLifecycle c = in(user(), row.state());
                Transition t = switch (input) {
                    case "registered" -> c.registered();
                    case "dropped" -> c.ended(End.DROPPED);
                    case "refused" -> c.ended(End.REFUSED);
                    case "retryDue" -> c.retryDue();
                    case "connectAgain" -> c.connectAgain();
                    default -> c.close();
                };
                assertEquals(row.inputs().contains(input), t.changed(), input + " in " + row.state());
                assertEquals(t.to(), c.state());
            }
        }
    }

    /** A fresh user connection brought to a state through the transitions that lead there. */
    private static ConnectionLifecycle in(ConnectionLifecycle c, State state) {
        switch (state) {
            case CONNECTING -> { }
            case CONNECTED -> c.registered();
            case LOST -> c.ended(End.DROPPED);
            case RECONNECTING -> {
                c.ended(End.DROPPED);
                c.retryDue();
            }
            case FAILED -> c.ended(End.REFUSED);
            case CLOSED -> c.close();
        }
        assertEquals(state, c.state());
        return c;
    }
}
