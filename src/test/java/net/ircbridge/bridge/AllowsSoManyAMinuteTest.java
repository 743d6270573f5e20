package net.ircbridge.bridge;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class AllowsSoManyAMinuteTest {

    private final AtomicLong now = new AtomicLong();

    @Test
    void allowsABurstOfTheMinutesWorthThenOneMoreEachShareOfTheMinute() {
        AllowsSoManyAMinute limit = new AllowsSoManyAMinute(3, now::get);
        assertTrue(limit.tryTake());
        assertTrue(limit.tryTake());
        assertTrue(limit.tryTake());
        assertFalse(limit.tryTake());
        now.addAndGet(19_000_000_000L);
        assertFalse(limit.tryTake(), "a third of a minute earns one, not yet");
        now.addAndGet(1_000_000_000L);
        assertTrue(limit.tryTake());
        assertFalse(limit.tryTake());
    }

    @Test
    void aLongQuietTimeEarnsNoMoreThanTheBurst() {
        AllowsSoManyAMinute limit = new AllowsSoManyAMinute(2, now::get);
        now.addAndGet(3_600_000_000_000L);
        assertTrue(limit.tryTake());
        assertTrue(limit.tryTake());
        assertFalse(limit.tryTake());
    }
}
