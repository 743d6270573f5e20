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
            var first = store.accept(txn, List.of(new IncomingEvent("!a:hs", "{\"n\":1}"), new IncomingEvent(null, "{\"n\":2}")));
            assertTrue(first.accepted());
            assertEquals(2, first.events().size());
            assertTrue(first.events().get(0).seq() < first.events().get(1).seq());
            assertFalse(store.accept(txn, List.of(new IncomingEvent("!a:hs", "{\"n\":1}"))).accepted());

            List<Long> pending = store.pending().stream().map(InboundTransactionStore.PendingEvent::seq).toList();
            assertTrue(pending.containsAll(first.events().stream().map(InboundTransactionStore.PendingEvent::seq).toList()));
            first.events().forEach(e -> store.processed(e.seq()));
            assertTrue(store.pending().stream().noneMatch(e -> e.json().equals("{\"n\":1}") && e.roomId().equals("!a:hs")
                    && first.events().get(0).seq() == e.seq()));
        }
    }

    @Test
    void rememberedTransactionsSurviveReopening() {
        String txn = unique("txn");
        try (Database db = open()) {
            new InboundTransactionStore(db).accept(txn, List.of());
        }
        try (Database db = open()) {
            assertFalse(new InboundTransactionStore(db).accept(txn, List.of()).accepted());
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
    void migrationsRunOnceAndRecordTheirVersion() {
        try (Database db = open()) {
            assertEquals(MigratesSchema.MIGRATIONS.size(), new MigratesSchema(db).currentVersion());
        }
    }
}
