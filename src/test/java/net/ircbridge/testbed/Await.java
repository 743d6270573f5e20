package net.ircbridge.testbed;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;

/**
 * Polls a condition until it holds or a deadline passes. Tests wait with this, never with fixed sleeps:
 * the wait ends as soon as the condition holds, and a timeout fails with a description of what was expected.
 */
public final class Await {

    private static final Duration FIRST_PAUSE = Duration.ofMillis(10);
    private static final Duration LONGEST_PAUSE = Duration.ofMillis(200);

    private Await() {
    }

    /**
     * Waits until {@code condition} returns true. Exceptions the condition throws count as "not yet"; the last one
     * is attached to the failure.
     *
     * @throws AssertionError when the condition does not hold within {@code timeout}
     */
    public static void until(Duration timeout, String description, Callable<Boolean> condition) {
        untilPresent(timeout, description, () -> Boolean.TRUE.equals(condition.call()) ? Optional.of(true) : Optional.empty());
    }

    /**
     * Waits until {@code supplier} returns a non-null value and returns it.
     *
     * @throws AssertionError when no value comes within {@code timeout}
     */
    public static <T> T untilNonNull(Duration timeout, String description, Callable<T> supplier) {
        return untilPresent(timeout, description, () -> Optional.ofNullable(supplier.call()));
    }

    /**
     * Waits until {@code supplier} returns a present value and returns it.
     *
     * @throws AssertionError when no value comes within {@code timeout}
     */
    public static <T> T untilPresent(Duration timeout, String description, Callable<Optional<T>> supplier) {
        Deadline deadline = Deadline.in(timeout);
        Duration pause = FIRST_PAUSE;
        Throwable last = null;
        while (true) {
            try {
                Optional<T> value = supplier.call();
                if (value.isPresent()) {
                    return value.get();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted while waiting: " + description, e);
            } catch (Exception | AssertionError e) {
                last = e;
            }
            if (deadline.expired()) {
                throw new AssertionError("timed out after " + timeout.toMillis() + " ms waiting until: " + description, last);
            }
            sleep(deadline.remainingAtMost(pause));
            pause = pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0 ? LONGEST_PAUSE : pause.multipliedBy(2);
        }
    }

    private static void sleep(Duration pause) {
        try {
            Thread.sleep(Math.max(1, pause.toMillis()));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
