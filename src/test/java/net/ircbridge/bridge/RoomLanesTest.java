package net.ircbridge.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class RoomLanesTest {

    @Test
    void runsOneRoomsWorkInOrderEvenWhenEarlierWorkIsSlower() throws Exception {
        RoomLanes lanes = new RoomLanes();
        List<Integer> done = Collections.synchronizedList(new ArrayList<>());
        List<CompletableFuture<Integer>> all = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            int n = i;
            // Earlier items take longer; without the lane they would finish last.
            all.add(lanes.submit("!room", () -> CompletableFuture.supplyAsync(() -> {
                done.add(n);
                return n;
            }, CompletableFuture.delayedExecutor(50 - n, TimeUnit.MILLISECONDS))));
        }
        CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            expected.add(i);
        }
        assertEquals(expected, done);
    }

    @Test
    void aFailureDoesNotStopTheLane() throws Exception {
        RoomLanes lanes = new RoomLanes();
        CompletableFuture<Object> failed = lanes.submit("!room", () -> CompletableFuture.failedFuture(new RuntimeException("x")));
        CompletableFuture<String> next = lanes.submit("!room", () -> CompletableFuture.completedFuture("ok"));
        assertEquals("ok", next.get(5, TimeUnit.SECONDS));
        assertEquals(true, failed.isCompletedExceptionally());
    }

    @Test
    void roomsDoNotWaitForEachOther() throws Exception {
        RoomLanes lanes = new RoomLanes();
        CompletableFuture<Void> blocker = new CompletableFuture<>();
        lanes.submit("!slow", () -> blocker);
        assertEquals("fast", lanes.submit("!fast", () -> CompletableFuture.completedFuture("fast")).get(5, TimeUnit.SECONDS));
        blocker.complete(null);
    }

    @Test
    void knowsWhetherWorkIsStillTheLastQueuedOnItsLane() throws Exception {
        RoomLanes lanes = new RoomLanes();
        CompletableFuture<Void> gate = new CompletableFuture<>();
        java.util.function.Supplier<CompletableFuture<Void>> first = () -> gate;
        java.util.function.Supplier<CompletableFuture<String>> second = () -> CompletableFuture.completedFuture("b");
        lanes.submit("!room", first);
        org.junit.jupiter.api.Assertions.assertTrue(lanes.isLast("!room", first));
        CompletableFuture<String> after = lanes.submit("!room", second);
        org.junit.jupiter.api.Assertions.assertFalse(lanes.isLast("!room", first), "other work was queued after it");
        org.junit.jupiter.api.Assertions.assertTrue(lanes.isLast("!room", second));
        org.junit.jupiter.api.Assertions.assertFalse(lanes.isLast("!other", second));
        gate.complete(null);
        after.get(5, TimeUnit.SECONDS);
        // The lane forgets it just after its result is given.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (lanes.isLast("!room", second) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        org.junit.jupiter.api.Assertions.assertFalse(lanes.isLast("!room", second), "finished work is no longer queued");
    }
}
