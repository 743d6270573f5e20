package net.ircbridge.testbed;

import java.time.Duration;

/**
 * A point in time by which something must have happened; every wait in the test bed is bounded by one.
 *
 * @param endNanos {@link System#nanoTime()} value at which the deadline passes
 */
public record Deadline(long endNanos) {

    /** A deadline {@code timeout} from now. */
    public static Deadline in(Duration timeout) {
        return new Deadline(System.nanoTime() + timeout.toNanos());
    }

    /** Time left, never negative. */
    public Duration remaining() {
        return Duration.ofNanos(Math.max(0, endNanos - System.nanoTime()));
    }

    /** Time left, but at most {@code max}: for one step of a longer wait. */
    public Duration remainingAtMost(Duration max) {
        Duration left = remaining();
        return left.compareTo(max) < 0 ? left : max;
    }

    /** Whether the deadline has passed. */
    public boolean expired() {
        return System.nanoTime() - endNanos >= 0;
    }
}
