package net.ircbridge.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.UUID;
import net.ircbridge.store.InboundTransactionStore.IncomingEvent;
import org.junit.jupiter.api.Test;

/** What every database behind the store must do; run against the embedded database and PostgreSQL. */
abstract class StoreContract {

    /** A freshly opened (migrated) database; opening an already migrated one must also work. */
    protected abstract Database open();

    private static String unique(String prefix) {
        return prefix + UUID.randomUUID();
    }

    @Test
    void acceptsATransactionOnceAndKeepsItsEventsUntilProcessed() {
        try (Database db = open()) {
            InboundTransactionStore store = new InboundTransactionStore(db);
            String txn = unique("txn");
            String id = unique("$e");
            var first = store.accept(txn, List.of(new IncomingEvent("!a:hs", "{\"n\":1}", id), new IncomingEvent(null, "{\"n\":2}")));
            assertTrue(first.accepted());
            assertEquals(2, first.events().size());
            assertEquals(List.of(0, 1), first.positions());
            assertTrue(first.events().get(0).seq() < first.events().get(1).seq());
            var retry = store.accept(txn, List.of(new IncomingEvent("!a:hs", "{\"n\":1}", id), new IncomingEvent(null, "{\"n\":2}")));
            assertFalse(retry.accepted());
            assertEquals(List.of(), retry.events());

            List<Long> pending = store.pending().stream().map(InboundTransactionStore.PendingEvent::seq).toList();
            assertTrue(pending.containsAll(first.events().stream().map(InboundTransactionStore.PendingEvent::seq).toList()));
            first.events().forEach(e -> store.processed(e.seq()));
            assertTrue(store.pending().stream().noneMatch(e -> e.json().equals("{\"n\":1}") && e.roomId().equals("!a:hs")
                    && first.events().get(0).seq() == e.seq()));
        }
    }

    @Test
    void rememberedEventsSurviveReopening() {
        String txn = unique("txn");
        IncomingEvent event = new IncomingEvent("!a:hs", "{}", unique("$e"));
        try (Database db = open()) {
            assertTrue(new InboundTransactionStore(db).accept(txn, List.of(event)).accepted());
        }
        try (Database db = open()) {
            assertFalse(new InboundTransactionStore(db).accept(txn, List.of(event)).accepted());
        }
    }

    @Test
    void aUsedTransactionIdWithNewEventsHasOnlyItsNewEventsAccepted() {
        try (Database db = open()) {
            InboundTransactionStore store = new InboundTransactionStore(db);
            // A restarted homeserver numbering its transactions from 1 again.
            String txn = unique("1-");
            IncomingEvent a = new IncomingEvent("!r:hs", "{\"a\":1}", unique("$a"));
            IncomingEvent b = new IncomingEvent("!r:hs", "{\"b\":1}", unique("$b"));
            IncomingEvent c = new IncomingEvent("!r:hs", "{\"c\":1}", unique("$c"));
            assertTrue(store.accept(txn, List.of(a)).accepted());

            var reused = store.accept(txn, List.of(b));
            assertTrue(reused.accepted());
            assertEquals(List.of("{\"b\":1}"), reused.events().stream().map(InboundTransactionStore.PendingEvent::json).toList());

            var mixed = store.accept(txn, List.of(a, c, b));
            assertTrue(mixed.accepted());
            assertEquals(List.of("{\"c\":1}"), mixed.events().stream().map(InboundTransactionStore.PendingEvent::json).toList());
            assertEquals(List.of(1), mixed.positions());
        }
    }

    @Test
    void anEventAlreadyAcceptedInAnotherTransactionIsNotAcceptedAgain() {
        try (Database db = open()) {
            InboundTransactionStore store = new InboundTransactionStore(db);
            IncomingEvent a = new IncomingEvent("!r:hs", "{}", unique("$a"));
            assertTrue(store.accept(unique("txn"), List.of(a)).accepted());
            assertFalse(store.accept(unique("txn"), List.of(a)).accepted());
        }
    }

    @Test
    void anEventIdTwiceInOneTransactionIsAcceptedOnce() {
        try (Database db = open()) {
            InboundTransactionStore store = new InboundTransactionStore(db);
            String id = unique("$twice");
            var acceptance = store.accept(unique("txn"), List.of(new IncomingEvent("!r:hs", "{\"n\":1}", id),
                    new IncomingEvent("!r:hs", "{\"n\":2}", id)));
            assertEquals(List.of(0), acceptance.positions());
        }
    }

    @Test
    void eventsWithoutAnIdAreRecognisedByTheirTransactionPositionAndText() {
        try (Database db = open()) {
            InboundTransactionStore store = new InboundTransactionStore(db);
            String txn = unique("txn");
            IncomingEvent x = new IncomingEvent(null, "{\"type\":\"m.typing\"}");
            IncomingEvent y = new IncomingEvent(null, "{\"type\":\"m.receipt\"}");
            assertTrue(store.accept(txn, List.of(x)).accepted());
            assertFalse(store.accept(txn, List.of(x)).accepted(), "the same transaction again");
            assertTrue(store.accept(txn, List.of(y)).accepted(), "a used id with other content");
            assertTrue(store.accept(unique("txn"), List.of(x)).accepted(), "the same content in another transaction");
            // Two equal events in one transaction are two events.
            assertEquals(List.of(0, 1), store.accept(unique("txn"), List.of(x, x)).positions());
            // An id that is no usable key (too long) is treated as no id.
            IncomingEvent longId = new IncomingEvent(null, "{}", "$" + "x".repeat(InboundTransactionStore.MAX_EVENT_ID_LENGTH));
            String t2 = unique("txn");
            assertTrue(store.accept(t2, List.of(longId)).accepted());
            assertFalse(store.accept(t2, List.of(longId)).accepted());
        }
    }

    @Test
    void anEmptyTransactionIsAcceptedAndLeavesNothing() {
        try (Database db = open()) {
            InboundTransactionStore store = new InboundTransactionStore(db);
            String txn = unique("txn");
            assertTrue(store.accept(txn, List.of()).accepted());
            assertTrue(store.accept(txn, List.of()).accepted());
        }
    }

    @Test
    void eventsAcceptedLongBeforeTheNewestAreForgotten() {
        try (Database db = open()) {
            InboundTransactionStore store = new InboundTransactionStore(db);
            IncomingEvent old = new IncomingEvent("!r:hs", "{}", unique("$old"));
            IncomingEvent recent = new IncomingEvent("!r:hs", "{}", unique("$recent"));
            store.accept(unique("txn"), List.of(old));
            store.accept(unique("txn"), List.of(recent));
            long twoDays = java.time.Duration.ofDays(2).toMillis();
            db.withConnection(c -> {
                try (var ps = c.prepareStatement("UPDATE processed_event SET received_at = received_at - ? WHERE event_key = ?")) {
                    ps.setLong(1, twoDays);
                    ps.setString(2, old.eventId());
                    return ps.executeUpdate();
                }
            });
            assertTrue(store.forgetEventsOlderThanNewestBy(java.time.Duration.ofDays(1).toMillis()) >= 1);
            assertTrue(store.accept(unique("txn"), List.of(old)).accepted(), "forgotten");
            assertFalse(store.accept(unique("txn"), List.of(recent)).accepted(), "still remembered");
        }
    }

    @Test
    void anAdminRoomBelongsToOneUser() {
        try (Database db = open()) {
            AdminRoomStore rooms = new AdminRoomStore(db);
            String user = unique("@u");
            String room1 = unique("!r");
            String room2 = unique("!r");
            rooms.put(user, room1);
            rooms.put(user, room2);
            assertEquals(Optional.of(room2), rooms.roomOf(user));
            assertEquals(Optional.empty(), rooms.ownerOf(room1));
            assertEquals(Optional.of(user), rooms.ownerOf(room2));
            rooms.remove(room2);
            assertEquals(Optional.empty(), rooms.roomOf(user));
        }
    }

    @Test
    void registeringAUserTwiceIsHarmless() {
        try (Database db = open()) {
            RegisteredUserStore users = new RegisteredUserStore(db);
            String user = unique("@g");
            assertFalse(users.contains(user));
            users.add(user);
            users.add(user);
            assertTrue(users.contains(user));
        }
    }

    @Test
    void aChannelHasOneRoomAndARoomOneChannel() {
        try (Database db = open()) {
            PortalRoomStore portals = new PortalRoomStore(db);
            String channel = "#" + unique("c");
            String room = unique("!r");
            portals.put(new PortalRoomStore.PortalRoom("net", channel, room, "#alias:hs"));
            assertEquals(Optional.of(new PortalRoomStore.PortalRoom("net", channel, room, "#alias:hs")), portals.byChannel("net", channel));
            assertEquals(channel, portals.byRoom(room).orElseThrow().channel());
            String newer = unique("!r");
            portals.put(new PortalRoomStore.PortalRoom("net", channel, newer, null));
            assertEquals(Optional.empty(), portals.byRoom(room));
            assertTrue(portals.all().stream().anyMatch(p -> p.roomId().equals(newer)));
        }
    }

    @Test
    void aMatrixUserHasOneNickPerNetwork() {
        try (Database db = open()) {
            IrcIdentityStore identities = new IrcIdentityStore(db);
            String user = unique("@u");
            assertEquals(Optional.empty(), identities.nick(user, "net"));
            identities.put(user, "net", "alice[m]");
            identities.put(user, "net", "alice[m]_");
            identities.put(user, "other", "alice");
            assertEquals(Optional.of("alice[m]_"), identities.nick(user, "net"));
            assertEquals(Optional.of("alice"), identities.nick(user, "other"));
        }
    }

    @Test
    void anOwedInviteIsHandedOutOnce() {
        try (Database db = open()) {
            OwedInviteStore owed = new OwedInviteStore(db);
            String user = unique("@u");
            String room = unique("!r");
            owed.putAll(java.util.List.of(new OwedInviteStore.OwedInvite(user, room, "net", "#c", "lost")));
            owed.putAll(java.util.List.of(new OwedInviteStore.OwedInvite(user, room, "net", "#c", "lost again")));
            assertEquals(1, owed.all().stream().filter(o -> o.userId().equals(user)).count());
            assertTrue(owed.remove(user, room));
            assertFalse(owed.remove(user, room));
        }
    }

    @Test
    void manyOwedInvitesAreStoredInOneGoAndReplaceEarlierOnes() {
        try (Database db = open()) {
            OwedInviteStore owed = new OwedInviteStore(db);
            String room = unique("!r");
            java.util.List<OwedInviteStore.OwedInvite> storm = new java.util.ArrayList<>();
            for (int i = 0; i < 50; i++) {
                storm.add(new OwedInviteStore.OwedInvite(unique("@s"), room, "net", "#c", "server restart"));
            }
            owed.putAll(java.util.List.of(new OwedInviteStore.OwedInvite(storm.get(0).userId(), room, "net", "#c", "earlier")));
            owed.putAll(storm);
            assertEquals(50, owed.all().stream().filter(o -> o.roomId().equals(room)).count());
            assertTrue(owed.has(storm.get(0).userId(), room));
            assertEquals("server restart", owed.all().stream().filter(o -> o.userId().equals(storm.get(0).userId())).findFirst()
                    .orElseThrow().reason());
        }
    }

    @Test
    void aUserHasOneDirectChatPerNickAndNetwork() {
        try (Database db = open()) {
            DirectChatStore chats = new DirectChatStore(db);
            String user = unique("@u");
            String first = unique("!r");
            String second = unique("!r");
            chats.put(new DirectChatStore.DirectChat(first, "net", "bob", user));
            chats.put(new DirectChatStore.DirectChat(second, "net", "bob", user));
            assertEquals(Optional.of(second), chats.find("net", "bob", user).map(DirectChatStore.DirectChat::roomId));
            assertTrue(chats.byRoom(first).isEmpty());
            assertEquals(1, chats.ofUser("net", user).size());
            assertTrue(chats.remove(second));
            assertFalse(chats.remove(second));
        }
    }

    @Test
    void aLoginIsKeptPerUserAndNetworkWithItsPasswordSealed() throws Exception {
        java.nio.file.Path dir = java.nio.file.Files.createTempDirectory("secrets");
        try (Database db = open()) {
            IrcLoginStore logins = new IrcLoginStore(db, SealsSecrets.withKeyFile(dir.resolve("secrets.key")));
            String user = unique("@u");
            logins.put(new IrcLoginStore.IrcLogin(user, "net", "alice", "first secret"));
            logins.put(new IrcLoginStore.IrcLogin(user, "net", "alice2", "second secret"));
            assertEquals(Optional.of(new IrcLoginStore.IrcLogin(user, "net", "alice2", "second secret")), logins.find("net", user));
            assertTrue(logins.find("other", user).isEmpty());
            String stored = db.withConnection(c -> {
                try (var ps = c.prepareStatement("SELECT sealed_password FROM irc_login WHERE user_id = ?")) {
                    ps.setString(1, user);
                    try (var rs = ps.executeQuery()) {
                        rs.next();
                        return rs.getString(1);
                    }
                }
            });
            assertFalse(stored.contains("secret"), stored);

            // Another key (the key file lost or replaced) opens nothing: the login is as good as gone.
            IrcLoginStore withOtherKey = new IrcLoginStore(db, SealsSecrets.withKeyFile(dir.resolve("other.key")));
            assertTrue(withOtherKey.find("net", user).isEmpty());

            assertTrue(logins.remove("net", user));
            assertFalse(logins.remove("net", user));
            assertTrue(logins.find("net", user).isEmpty());
        }
    }

    @Test
    void theIrcOutboxKeepsARoomsLinesInOrderUntilDeletedAndAcrossReopening() {
        String room = unique("!outbox");
        String other = unique("!other");
        List<IrcOutboxStore.OutboxRow> stored;
        try (Database db = open()) {
            IrcOutboxStore outbox = new IrcOutboxStore(db);
            List<IrcOutboxStore.OutboxRow> rows = new java.util.ArrayList<>();
            for (int i = 0; i < 5; i++) {
                rows.add(new IrcOutboxStore.OutboxRow(0, i == 2 ? other : room, "net", "message", i == 4 ? null : "nick" + i,
                        "{\"n\":" + i + "}", 1000 + i));
            }
            stored = outbox.write(new IrcOutboxStore.Batch(rows, List.of()));
            assertEquals(5, stored.size());
            for (int i = 1; i < 5; i++) {
                assertTrue(stored.get(i).id() > stored.get(i - 1).id(), "ids grow in the order given");
            }
            assertEquals(List.of(stored.get(0), stored.get(1)), outbox.next(room, 0, Long.MAX_VALUE, 2), "a batch, oldest first");
            assertEquals(List.of(stored.get(1), stored.get(3)), outbox.next(room, stored.get(0).id(), stored.get(3).id(), 10),
                    "after one id and up to another, this room's only");
            outbox.write(new IrcOutboxStore.Batch(List.of(), List.of(stored.get(0).id(), stored.get(2).id())));
            assertEquals(List.of(stored.get(1), stored.get(3), stored.get(4)), outbox.next(room, 0, Long.MAX_VALUE, 10));
            assertTrue(outbox.next(other, 0, Long.MAX_VALUE, 10).isEmpty());
        }
        try (Database db = open()) {
            IrcOutboxStore outbox = new IrcOutboxStore(db);
            assertEquals(List.of(stored.get(1), stored.get(3), stored.get(4)), outbox.next(room, 0, Long.MAX_VALUE, 10), "kept");
            IrcOutboxStore.Waiting waiting = outbox.waiting().get(room);
            assertEquals(new IrcOutboxStore.Waiting("net", 3, stored.get(4).id()), waiting);
            assertFalse(outbox.waiting().containsKey(other));
        }
    }

    @Test
    void theOutboxWriterStoresANickTooLongOrWithANulAndTheLinesAfterIt() throws Exception {
        String room = unique("!outbox");
        try (Database db = open()) {
            IrcOutboxStore outbox = new IrcOutboxStore(db);
            net.ircbridge.bridge.relay.WritesTheIrcOutbox writer = new net.ircbridge.bridge.relay.WritesTheIrcOutbox(outbox);
            // A server may send a nick far past the column's 255 characters (KICL takes lines of 9001), or with a NUL,
            // which PostgreSQL refuses in text: neither may stop the lines after it.
            List<java.util.concurrent.CompletableFuture<IrcOutboxStore.OutboxRow>> stored = List.of(
                    writer.append(new IrcOutboxStore.OutboxRow(0, room, "net", "message", "n".repeat(300), "{\"n\":1}", 1)),
                    writer.append(new IrcOutboxStore.OutboxRow(0, room, "net", "message", "bad\0nick", "{\"n\":2}", 2)),
                    writer.append(new IrcOutboxStore.OutboxRow(0, room, "net", "message", "normal", "{\"n\":3}", 3)));
            for (var f : stored) {
                f.get(30, java.util.concurrent.TimeUnit.SECONDS);
            }
            List<IrcOutboxStore.OutboxRow> rows = outbox.next(room, 0, Long.MAX_VALUE, 10);
            assertEquals(List.of("n".repeat(255), "badnick", "normal"), rows.stream().map(IrcOutboxStore.OutboxRow::nick).toList());
        }
    }

    @Test
    void theOutboxWriterDropsOnlyTheLineTheDatabaseRefuses() throws Exception {
        String room = unique("!outbox");
        try (Database db = open()) {
            IrcOutboxStore outbox = new IrcOutboxStore(db);
            net.ircbridge.bridge.relay.WritesTheIrcOutbox writer = new net.ircbridge.bridge.relay.WritesTheIrcOutbox(outbox);
            // A room id past its column: refused however often it is tried (SQLSTATE 22001).
            var before = writer.append(new IrcOutboxStore.OutboxRow(0, room, "net", "message", "a", "{}", 1));
            var refused = writer.append(new IrcOutboxStore.OutboxRow(0, "!" + "r".repeat(300), "net", "message", "b", "{}", 2));
            var after = writer.append(new IrcOutboxStore.OutboxRow(0, room, "net", "message", "c", "{}", 3));
            IrcOutboxStore.OutboxRow first = before.get(30, java.util.concurrent.TimeUnit.SECONDS);
            IrcOutboxStore.OutboxRow last = after.get(30, java.util.concurrent.TimeUnit.SECONDS);
            var failure = org.junit.jupiter.api.Assertions.assertThrows(java.util.concurrent.ExecutionException.class,
                    () -> refused.get(30, java.util.concurrent.TimeUnit.SECONDS));
            var notStored = org.junit.jupiter.api.Assertions.assertInstanceOf(net.ircbridge.bridge.relay.WritesTheIrcOutbox.NotStored.class,
                    failure.getCause());
            assertTrue(notStored.storedUpTo() >= first.id(), "the lines before the refused one are stored up to its mark");
            assertEquals(List.of(first, last), outbox.next(room, 0, Long.MAX_VALUE, 10));
            assertEquals(1, writer.refused());
            assertEquals(0, writer.unwritten());
        }
    }

    @Test
    void migrationsRunOnceAndRecordTheirVersion() {
        try (Database db = open()) {
            assertEquals(MigratesSchema.MIGRATIONS.size(), new MigratesSchema(db).currentVersion());
        }
    }
}
