package net.ircbridge.bridge.membership;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import net.ircbridge.store.OwedInviteStore;
import net.ircbridge.store.OwedInviteStore.OwedInvite;
import org.junit.jupiter.api.Test;

class RemembersOwedInvitesTest {

    /** A store whose first commit fails, as on a database blip, and which works after it. */
    private static final class FailsOnce extends OwedInviteStore {
        final List<OwedInvite> stored = new ArrayList<>();
        final AtomicInteger commits = new AtomicInteger();

        FailsOnce() {
            super(null);
        }

        @Override
        public synchronized void putAll(List<OwedInvite> all) {
            if (commits.incrementAndGet() == 1) {
                throw new IllegalStateException("connection refused");
            }
            stored.addAll(all);
        }
    }

    @Test
    void aFailedGroupCommitIsTriedAgainAndLosesNoInvite() throws Exception {
        FailsOnce store = new FailsOnce();
        RemembersOwedInvites remembered = new RemembersOwedInvites(store);
        List<CompletableFuture<Void>> futures = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            futures.add(remembered.remember(new OwedInvite("@u" + i + ":example.org", "!room:example.org", "net", "#c", "drop")));
        }
        for (CompletableFuture<Void> f : futures) {
            f.get(30, TimeUnit.SECONDS); // throws if any failed
        }
        assertFalse(futures.stream().anyMatch(CompletableFuture::isCompletedExceptionally));
        Set<String> users;
        synchronized (store) {
            users = store.stored.stream().map(OwedInvite::userId).collect(Collectors.toSet());
        }
        assertEquals(50, users.size());
        remembered.stop();
    }

    /** A store kept in memory, keyed by user and room as the real one is. */
    private static final class InMemory extends OwedInviteStore {
        final java.util.Map<String, OwedInvite> rows = new java.util.concurrent.ConcurrentHashMap<>();

        InMemory() {
            super(null);
        }

        @Override
        public void putAll(List<OwedInvite> all) {
            all.forEach(i -> rows.put(i.userId() + " " + i.roomId(), i));
        }

        @Override
        public boolean remove(String userId, String roomId) {
            return rows.remove(userId + " " + roomId) != null;
        }

        @Override
        public boolean has(String userId, String roomId) {
            return rows.containsKey(userId + " " + roomId);
        }
    }

    @Test
    void aDecisionAboutAnEarlierSoftKickLeavesTheNewerOnesInviteOwed() throws Exception {
        InMemory store = new InMemory();
        RemembersOwedInvites remembered = new RemembersOwedInvites(store);
        OwedInvite first = new OwedInvite("@u:example.org", "!room:example.org", "net", "#c", "first drop");
        remembered.remember(first).get(10, TimeUnit.SECONDS);
        long decidedAbout = remembered.owedNow(first.userId(), first.roomId());
        // The connection drops again while the invite back is decided.
        remembered.remember(new OwedInvite(first.userId(), first.roomId(), "net", "#c", "second drop")).get(10, TimeUnit.SECONDS);
        assertFalse(remembered.settle(first.userId(), first.roomId(), decidedAbout).get(10, TimeUnit.SECONDS));
        org.junit.jupiter.api.Assertions.assertTrue(store.has(first.userId(), first.roomId()), "the newer soft kick's invite stays owed");

        // The decision about the newer one settles it.
        long newer = remembered.owedNow(first.userId(), first.roomId());
        org.junit.jupiter.api.Assertions.assertTrue(remembered.settle(first.userId(), first.roomId(), newer).get(10, TimeUnit.SECONDS));
        assertFalse(store.has(first.userId(), first.roomId()));
        assertEquals(0, remembered.owedNow(first.userId(), first.roomId()), "nothing is kept for a settled invite");
        remembered.stop();
    }
}
