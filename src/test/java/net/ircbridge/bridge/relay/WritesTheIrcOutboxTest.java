package net.ircbridge.bridge.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import net.ircbridge.store.Database;
import net.ircbridge.store.IrcOutboxStore;
import net.ircbridge.store.IrcOutboxStore.OutboxRow;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WritesTheIrcOutboxTest {

    @TempDir
    Path dataDirectory;

    private static OutboxRow line(String roomId, String nick) {
        return new OutboxRow(0, roomId, "net", "message", nick, "{}", System.currentTimeMillis());
    }

    @Test
    void aLineReadAfterTheStopIsStillStored() throws Exception {
        try (Database db = Database.embedded(dataDirectory, 4)) {
            IrcOutboxStore store = new IrcOutboxStore(db);
            WritesTheIrcOutbox writer = new WritesTheIrcOutbox(store);
            String room = "!" + UUID.randomUUID();
            writer.append(line(room, "before")).get(30, TimeUnit.SECONDS);
            writer.stop();
            // The bot may still read (beans are destroyed in no set order): the line must be committed, not left queued.
            OutboxRow late = writer.append(line(room, "after")).get(30, TimeUnit.SECONDS);
            assertEquals(List.of("before", "after"), store.next(room, 0, Long.MAX_VALUE, 10).stream().map(OutboxRow::nick).toList());
            assertEquals(late, store.next(room, 0, Long.MAX_VALUE, 10).get(1));
            assertEquals(0, writer.unwritten());
        }
    }

    @Test
    void aFailureAfterTheCommitDoesNotStoreTheBatchTwice() throws Exception {
        try (Database db = Database.embedded(dataDirectory, 4)) {
            IrcOutboxStore store = new IrcOutboxStore(db);
            WritesTheIrcOutbox writer = new WritesTheIrcOutbox(store);
            writer.afterWrite(() -> {
                throw new IllegalStateException("a bug after the commit");
            });
            String room = "!" + UUID.randomUUID();
            writer.append(line(room, "one")).get(30, TimeUnit.SECONDS);
            writer.append(line(room, "two")).get(30, TimeUnit.SECONDS);
            assertEquals(List.of("one", "two"), store.next(room, 0, Long.MAX_VALUE, 10).stream().map(OutboxRow::nick).toList());
            writer.stop();
        }
    }

    @Test
    void aNickIsCleanedOfControlCharactersAndCutToItsColumn() {
        assertEquals("badnick", WritesTheIrcOutbox.cleanNick(line("!r", "bad\0ni\u0007ck")).nick());
        assertEquals(WritesTheIrcOutbox.MAX_NICK, WritesTheIrcOutbox.cleanNick(line("!r", "n".repeat(300))).nick().length());
        String emoji = "\uD83D\uDE00".repeat(200);
        String cut = WritesTheIrcOutbox.cleanNick(line("!r", emoji)).nick();
        assertEquals(WritesTheIrcOutbox.MAX_NICK - 1, cut.length(), "a pair of surrogates is not cut in two");
        OutboxRow fine = line("!r", "fine[nick]");
        assertEquals(fine, WritesTheIrcOutbox.cleanNick(fine));
    }
}
