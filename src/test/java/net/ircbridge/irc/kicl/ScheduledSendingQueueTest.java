package net.ircbridge.irc.kicl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ScheduledSendingQueueTest {
    private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        this.scheduler.shutdownNow();
    }

    /** Manual clock; the scheduler is only used for "wake me later", which these tests trigger by hand. */
    private static final class Clock {
        final AtomicLong nanos = new AtomicLong(1_000_000_000L);

        long now() {
            return this.nanos.get();
        }

        void advanceMillis(long ms) {
            this.nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(ms));
        }
    }

    @Test
    void nothingIsSentBeforeBeginSending() {
        List<String> sent = new ArrayList<>();
        ScheduledSendingQueue q = new ScheduledSendingQueue(this.scheduler, SendRate.of(5, Duration.ofSeconds(1)));
        q.queue("A");
        q.queue("B");
        assertTrue(sent.isEmpty());
        assertTrue(q.contains("A"));
        q.beginSending(sent::add);
        assertEquals(List.of("A", "B"), sent);
        assertFalse(q.contains("A"));
    }

    @Test
    void burstThenOneLinePerIntervalInOrder() {
        Clock clock = new Clock();
        List<String> sent = new ArrayList<>();
        ScheduledSendingQueue q = new ScheduledSendingQueue(this.scheduler, SendRate.of(3, Duration.ofMillis(1000)), clock::now);
        q.beginSending(sent::add);
        for (int i = 0; i < 6; i++) {
            q.queue("L" + i);
        }
        assertEquals(List.of("L0", "L1", "L2"), sent, "a burst of 3 goes out at once");
        assertEquals(3, q.size());

        clock.advanceMillis(999);
        q.queue("L6"); // queued behind the waiting ones; nothing may jump the queue
        assertEquals(3, sent.size());
        clock.advanceMillis(1);
        triggerDrain(q);
        assertEquals(List.of("L0", "L1", "L2", "L3"), sent);
        clock.advanceMillis(2000);
        triggerDrain(q);
        assertEquals(List.of("L0", "L1", "L2", "L3", "L4", "L5"), sent);
        clock.advanceMillis(1000);
        triggerDrain(q);
        assertEquals(7, sent.size());
        assertEquals("L6", sent.get(6));
        assertEquals(0, q.size());
    }

    @Test
    void bucketRefillsOnlyUpToBurst() {
        Clock clock = new Clock();
        List<String> sent = new ArrayList<>();
        ScheduledSendingQueue q = new ScheduledSendingQueue(this.scheduler, SendRate.of(2, Duration.ofMillis(100)), clock::now);
        q.beginSending(sent::add);
        clock.advanceMillis(60_000); // a long quiet period earns at most `burst` lines
        for (int i = 0; i < 4; i++) {
            q.queue("x" + i);
        }
        assertEquals(2, sent.size());
    }

    @Test
    void pauseStopsAndBeginSendingResumes() {
        Clock clock = new Clock();
        List<String> sent = new ArrayList<>();
        ScheduledSendingQueue q = new ScheduledSendingQueue(this.scheduler, SendRate.of(1, Duration.ofMillis(100)), clock::now);
        q.beginSending(sent::add);
        q.queue("a");
        q.queue("b");
        q.pause();
        clock.advanceMillis(500);
        triggerDrain(q);
        assertEquals(List.of("a"), sent);
        List<String> second = new ArrayList<>();
        q.beginSending(second::add);
        assertEquals(List.of("b"), second);
    }

    @Test
    void shutdownReturnsWaitingLinesAndDropsLaterOnes() {
        Clock clock = new Clock();
        List<String> sent = new ArrayList<>();
        ScheduledSendingQueue q = new ScheduledSendingQueue(this.scheduler, SendRate.of(1, Duration.ofSeconds(10)), clock::now);
        q.beginSending(sent::add);
        q.queue("1");
        q.queue("2");
        q.queue("3");
        Queue<String> rest = q.shutdown();
        assertEquals(List.of("2", "3"), new ArrayList<>(rest));
        q.queue("4");
        assertEquals(0, q.size());
        assertEquals(List.of("1"), sent);
    }

    @Test
    void unlimitedRateSendsEverythingAtOnce() {
        List<String> sent = new ArrayList<>();
        ScheduledSendingQueue q = new ScheduledSendingQueue(this.scheduler, SendRate.UNLIMITED);
        q.beginSending(sent::add);
        for (int i = 0; i < 100; i++) {
            q.queue("m" + i);
        }
        assertEquals(100, sent.size());
        assertEquals("m99", sent.get(99));
    }

    @Test
    void realSchedulerKeepsOrderAndRate() throws InterruptedException {
        CopyOnWriteArrayList<Long> times = new CopyOnWriteArrayList<>();
        CopyOnWriteArrayList<String> sent = new CopyOnWriteArrayList<>();
        ScheduledSendingQueue q = new ScheduledSendingQueue(this.scheduler, SendRate.of(2, Duration.ofMillis(50)));
        long start = System.nanoTime();
        q.beginSending(line -> {
            sent.add(line);
            times.add(System.nanoTime() - start);
        });
        for (int i = 0; i < 8; i++) {
            q.queue(Integer.toString(i));
        }
        long deadline = System.currentTimeMillis() + 5000;
        while (sent.size() < 8 && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        assertEquals(List.of("0", "1", "2", "3", "4", "5", "6", "7"), sent);
        // 2 at once, then 6 more at 50 ms each: the last one no earlier than ~300 ms.
        long lastMs = TimeUnit.NANOSECONDS.toMillis(times.get(7));
        assertTrue(lastMs >= 290, "too fast: " + lastMs + " ms");
    }

    @Test
    void rateChangeAppliesToWaitingLines() throws InterruptedException {
        CopyOnWriteArrayList<String> sent = new CopyOnWriteArrayList<>();
        ScheduledSendingQueue q = new ScheduledSendingQueue(this.scheduler, SendRate.of(1, Duration.ofHours(1)));
        q.beginSending(sent::add);
        q.queue("a");
        q.queue("b");
        q.queue("c");
        assertEquals(List.of("a"), sent);
        q.setSendRate(SendRate.UNLIMITED);
        assertEquals(List.of("a", "b", "c"), sent);
    }

    @Test
    void consumerMayCallBackIntoTheQueue() {
        List<String> sent = new ArrayList<>();
        ScheduledSendingQueue q = new ScheduledSendingQueue(this.scheduler, SendRate.UNLIMITED);
        q.beginSending(line -> {
            sent.add(line);
            if (line.equals("fail")) {
                q.pause(); // what KICL does when Netty reports a write error inline
                q.queue("after-pause");
            }
        });
        q.queue("a");
        q.queue("fail");
        q.queue("b");
        assertEquals(List.of("a", "fail"), sent);
        assertEquals(2, q.size());
        q.beginSending(sent::add);
        assertEquals(List.of("a", "fail", "after-pause", "b"), sent);
    }

    @Test
    void concurrentProducersKeepTheirOwnOrder() throws InterruptedException {
        CopyOnWriteArrayList<String> sent = new CopyOnWriteArrayList<>();
        ScheduledSendingQueue q = new ScheduledSendingQueue(this.scheduler, SendRate.UNLIMITED);
        q.beginSending(sent::add);
        Thread[] producers = new Thread[4];
        for (int p = 0; p < producers.length; p++) {
            String name = "p" + p;
            producers[p] = new Thread(() -> {
                for (int i = 0; i < 2000; i++) {
                    q.queue(name + ":" + i);
                }
            });
            producers[p].start();
        }
        for (Thread t : producers) {
            t.join();
        }
        assertEquals(8000, sent.size());
        for (int p = 0; p < producers.length; p++) {
            String prefix = "p" + p + ":";
            List<String> mine = sent.stream().filter(l -> l.startsWith(prefix)).toList();
            for (int i = 0; i < mine.size(); i++) {
                assertEquals(prefix + i, mine.get(i));
            }
        }
    }

    /** Runs what the scheduler would run when the pending drain fires. */
    @Test
    void whenSentCompletesOnlyOnceTheLinesQueuedSoFarHaveLeft() {
        Clock clock = new Clock();
        List<String> sent = new ArrayList<>();
        ScheduledSendingQueue q = new ScheduledSendingQueue(this.scheduler, SendRate.of(2, Duration.ofSeconds(1)), clock::now);
        assertTrue(q.whenSent().isDone(), "nothing queued: done at once");
        q.beginSending(sent::add);
        q.queue("A");
        q.queue("B");
        assertTrue(q.whenSent().isDone(), "the burst left at once");
        q.queue("C");
        java.util.concurrent.CompletableFuture<Void> upToC = q.whenSent();
        q.queue("D");
        java.util.concurrent.CompletableFuture<Void> upToD = q.whenSent();
        assertFalse(upToC.isDone(), "C waits for a token");
        clock.advanceMillis(1000);
        triggerDrain(q);
        assertEquals(List.of("A", "B", "C"), sent);
        assertTrue(upToC.isDone() && !upToC.isCompletedExceptionally(), "C has left");
        assertFalse(upToD.isDone(), "D has not");
        clock.advanceMillis(1000);
        triggerDrain(q);
        assertTrue(upToD.isDone() && !upToD.isCompletedExceptionally());
    }

    @Test
    void waitersForTheSameLinesShareOneBarrier() {
        ScheduledSendingQueue q = new ScheduledSendingQueue(this.scheduler, SendRate.of(1, Duration.ofSeconds(1)));
        q.queue("A"); // not sending yet
        assertTrue(q.whenSent() == q.whenSent(), "one barrier per count of lines queued, so they stay bounded by the lines");
    }

    @Test
    void whenSentFailsIfTheQueueIsShutDownBeforeTheLinesLeave() {
        Clock clock = new Clock();
        List<String> sent = new ArrayList<>();
        ScheduledSendingQueue q = new ScheduledSendingQueue(this.scheduler, SendRate.of(1, Duration.ofSeconds(10)), clock::now);
        q.beginSending(sent::add);
        q.queue("A");
        java.util.concurrent.CompletableFuture<Void> upToA = q.whenSent();
        q.queue("B");
        java.util.concurrent.CompletableFuture<Void> upToB = q.whenSent();
        assertTrue(upToA.isDone() && !upToA.isCompletedExceptionally(), "A left before the shutdown");
        assertEquals(List.of("B"), List.copyOf(q.shutdown()));
        assertTrue(upToB.isCompletedExceptionally(), "B never leaves: its waiter is told");
        q.queue("C");
        assertTrue(q.whenSent().isCompletedExceptionally(), "a line queued after the shutdown is dropped, and said so");
    }

    @Test
    void whenSentAfterShutdownFailsEvenWithNothingWaiting() {
        List<String> sent = new ArrayList<>();
        ScheduledSendingQueue q = new ScheduledSendingQueue(this.scheduler, SendRate.UNLIMITED);
        q.beginSending(sent::add);
        q.queue("A");
        assertTrue(q.shutdown().isEmpty());
        assertTrue(q.whenSent().isCompletedExceptionally(), "a shut-down queue never says \"sent\"");
    }

    @Test
    void aLineQueuedAfterShutdownMakesALaterWhenSentFail() {
        ScheduledSendingQueue q = new ScheduledSendingQueue(this.scheduler, SendRate.UNLIMITED);
        q.beginSending(line -> {
        });
        assertTrue(q.shutdown().isEmpty(), "nothing waited at the shutdown");
        q.queue("dropped");
        java.util.concurrent.CompletableFuture<Void> sent = q.whenSent();
        assertTrue(sent.isCompletedExceptionally(), "the dropped line must not count as sent");
        assertFalse(q.contains("dropped"));
    }

    @Test
    void aLineTheConsumerRefusesStillCountsAsHandedOn() {
        ScheduledSendingQueue q = new ScheduledSendingQueue(this.scheduler, SendRate.UNLIMITED);
        q.beginSending(line -> {
            throw new IllegalStateException("refused");
        });
        q.queue("A");
        assertTrue(q.whenSent().isDone(), "a waiter is never left waiting for a line that is gone");
    }

    private static void triggerDrain(ScheduledSendingQueue q) {
        // A rate "change" to the same rate cancels the pending drain and drains now, like the timer would.
        q.setSendRate(q.getSendRate());
    }
}
