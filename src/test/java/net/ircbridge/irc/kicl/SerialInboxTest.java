package net.ircbridge.irc.kicl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

class SerialInboxTest {
    @Test
    void linesOfOneInboxAreHandledInOrderAndNeverConcurrently() throws InterruptedException {
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            int inboxes = 20;
            int perInbox = 500;
            List<List<Integer>> seen = new ArrayList<>();
            List<SerialInbox> list = new ArrayList<>();
            AtomicInteger violations = new AtomicInteger();
            CountDownLatch done = new CountDownLatch(inboxes * perInbox);
            for (int i = 0; i < inboxes; i++) {
                List<Integer> got = new ArrayList<>();
                seen.add(got);
                AtomicInteger busy = new AtomicInteger();
                list.add(new SerialInbox(pool, line -> {
                    if (busy.incrementAndGet() != 1) {
                        violations.incrementAndGet();
                    }
                    got.add(Integer.parseInt(line));
                    busy.decrementAndGet();
                    done.countDown();
                }));
            }
            for (int n = 0; n < perInbox; n++) {
                for (SerialInbox inbox : list) {
                    inbox.submit(Integer.toString(n));
                }
            }
            assertTrue(done.await(20, TimeUnit.SECONDS));
            assertEquals(0, violations.get());
            for (List<Integer> got : seen) {
                assertEquals(perInbox, got.size());
                for (int n = 0; n < perInbox; n++) {
                    assertEquals(n, got.get(n));
                }
            }
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aFailingHandlerDoesNotStopTheInbox() throws InterruptedException {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            CountDownLatch second = new CountDownLatch(1);
            SerialInbox inbox = new SerialInbox(pool, line -> {
                if (line.equals("bad")) {
                    throw new IllegalStateException("bad line");
                }
                second.countDown();
            });
            inbox.submit("bad");
            inbox.submit("good");
            assertTrue(second.await(5, TimeUnit.SECONDS));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void aFullInboxDropsLinesInsteadOfGrowingAndTakesLinesAgainOnceItHasCaughtUp() throws InterruptedException {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            CountDownLatch release = new CountDownLatch(1);
            AtomicInteger handled = new AtomicInteger();
            CountDownLatch marker = new CountDownLatch(1);
            SerialInbox inbox = new SerialInbox(pool, line -> {
                try {
                    release.await(20, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
                if (line.equals("marker")) {
                    marker.countDown();
                } else {
                    handled.incrementAndGet();
                }
            });
            String line = "x".repeat(500);
            int fits = SerialInbox.MAX_PENDING_CHARS / line.length();
            for (int i = 0; i < fits * 3; i++) {
                inbox.submit(line);
            }
            assertTrue(inbox.pending() <= fits, "at most " + fits + " lines wait, not " + inbox.pending());
            release.countDown();
            net.ircbridge.testbed.Await.until(java.time.Duration.ofSeconds(20), "the inbox has caught up", () -> inbox.pending() == 0);
            inbox.submit("marker");
            assertTrue(marker.await(20, TimeUnit.SECONDS), "an inbox that caught up takes lines again");
            // What waited was handled (and the one line in the handler at the time); the rest was dropped.
            assertTrue(handled.get() <= fits + 1 && handled.get() >= fits - 1, "handled " + handled.get() + " of " + fits * 3);
        } finally {
            pool.shutdownNow();
        }
    }
}
