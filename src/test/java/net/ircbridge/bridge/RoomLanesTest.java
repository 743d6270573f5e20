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
}
