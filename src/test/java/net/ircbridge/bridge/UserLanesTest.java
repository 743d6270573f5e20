package net.ircbridge.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class UserLanesTest {

    private static final UserOnNetwork ALICE = new UserOnNetwork("@alice:hs", "libera");

    private final UserLanes lanes = new UserLanes();

    @AfterEach
    void stop() {
        lanes.stop();
    }

    @Test
    void whatAUserSaysWaitsForWhatTheySaidBeforeToTheSameNetwork() throws Exception {
        CompletableFuture<Void> gate = new CompletableFuture<>();
        List<String> done = Collections.synchronizedList(new ArrayList<>());
        lanes.submit(ALICE, () -> gate.thenRun(() -> done.add("first")));
        CompletableFuture<Boolean> second = lanes.submit(new UserOnNetwork("@alice:hs", "libera"),
                () -> CompletableFuture.completedFuture(done.add("second")));
        Thread.sleep(50);
        assertEquals(List.of(), done, "the second waits while the first has not finished");
        gate.complete(null);
        second.get(5, TimeUnit.SECONDS);
        assertEquals(List.of("first", "second"), done);
    }

    @Test
    void bookkeepingAndTheAdminRoomNeverWaitForWhatTheUserSays() throws Exception {
        CompletableFuture<Void> blocker = new CompletableFuture<>();
        lanes.submit(ALICE, () -> blocker);
        assertEquals("kept", lanes.submitBookkeeping(ALICE, () -> CompletableFuture.completedFuture("kept")).get(5, TimeUnit.SECONDS));
        assertEquals("told", lanes.submitToAdminRoom(ALICE.user(), () -> CompletableFuture.completedFuture("told"))
                .get(5, TimeUnit.SECONDS));
        blocker.complete(null);
    }

    @Test
    void aFailureDoesNotStopTheUsersLane() throws Exception {
        CompletableFuture<Object> failed = lanes.submit(ALICE, () -> CompletableFuture.failedFuture(new RuntimeException("x")));
        CompletableFuture<Object> thrown = lanes.submit(ALICE, () -> {
            throw new IllegalStateException("y");
        });
        CompletableFuture<String> next = lanes.submit(ALICE, () -> CompletableFuture.completedFuture("ok"));
        assertEquals("ok", next.get(5, TimeUnit.SECONDS));
        assertTrue(failed.isCompletedExceptionally());
        assertTrue(thrown.isCompletedExceptionally());
    }

    @Test
    void aUserWaitsNeitherForOtherUsersNorForTheirOwnLaneToAnotherNetwork() throws Exception {
        CompletableFuture<Void> blocker = new CompletableFuture<>();
        lanes.submit(ALICE, () -> blocker);
        assertEquals("bob", lanes.submit(new UserOnNetwork("@bob:hs", "libera"),
                () -> CompletableFuture.completedFuture("bob")).get(5, TimeUnit.SECONDS));
        assertEquals("oftc", lanes.submit(new UserOnNetwork("@alice:hs", "oftc"),
                () -> CompletableFuture.completedFuture("oftc")).get(5, TimeUnit.SECONDS));
        blocker.complete(null);
    }

    @Test
    void whatANickSaysInPrivateHasALaneApartFromWhatTheUserSays() throws Exception {
        CompletableFuture<Void> blocker = new CompletableFuture<>();
        lanes.submit(ALICE, () -> blocker);
        assertEquals("heard", lanes.submitFromNick(ALICE, "carol",
                () -> CompletableFuture.completedFuture("heard")).get(5, TimeUnit.SECONDS));
        blocker.complete(null);
    }

    @Test
    void oneNicksPrivateMessagesAreInOrderWhateverTheCaseOfTheNick() throws Exception {
        CompletableFuture<Void> gate = new CompletableFuture<>();
        List<String> done = Collections.synchronizedList(new ArrayList<>());
        lanes.submitFromNick(ALICE, "Carol", () -> gate.thenRun(() -> done.add("first")));
        CompletableFuture<Boolean> second = lanes.submitFromNick(ALICE, "carol",
                () -> CompletableFuture.completedFuture(done.add("second")));
        CompletableFuture<String> otherNick = lanes.submitFromNick(ALICE, "dave", () -> CompletableFuture.completedFuture("dave"));
        assertEquals("dave", otherNick.get(5, TimeUnit.SECONDS), "another nick's lane does not wait");
        assertEquals(List.of(), done, "the second waits for the first, as the nicks are the same to IRC");
        gate.complete(null);
        second.get(5, TimeUnit.SECONDS);
        assertEquals(List.of("first", "second"), done);
    }
}
