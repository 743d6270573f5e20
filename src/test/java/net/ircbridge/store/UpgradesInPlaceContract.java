package net.ircbridge.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * How the schema gets to the newest version on every database behind the store: a fresh one, one made by the
 * bridge before Flyway (its hand-run migrations, {@link HandRunMigrations}), one newer than the bridge, and one whose
 * migration changed after it was applied. Each test has an empty database of its own.
 */
abstract class UpgradesInPlaceContract {

    private static final String NEWER = "the database has schema version 9, newer than this bridge knows (8); run a newer"
            + " bridge or restore a backup";

    @TempDir
    Path migrationCopies;

    /** The test's database, migrated by the bridge. */
    protected abstract Database open(int maxConnections);

    /** A plain connection to the test's database, for making it as an earlier bridge would have and reading it. */
    protected abstract Connection connect() throws SQLException;

    protected abstract Database.Kind kind();

    @Test
    void aFreshDatabaseGetsEveryMigrationEachRecordedWithItsChecksum() throws SQLException {
        try (Database db = open(4)) {
            assertEquals(8, new MigratesSchema(db).currentVersion());
        }
        List<String> history = new ArrayList<>();
        for (int v = 1; v <= 8; v++) {
            history.add(v + " SQL " + MigratesSchema.MIGRATIONS.get(v - 1) + ".sql checksum=true success=true");
        }
        assertEquals(history, history());
        assertFalse(hasTable(MigratesSchema.LEGACY_TABLE), "a database made by Flyway has no schema_version");
    }

    @Test
    void aDatabaseMadeBeforeFlywayKeepsItsDataAndGetsOnlyTheNewerMigrations() throws SQLException {
        madeBeforeFlyway(6, "INSERT INTO portal_room (network, channel, room_id, alias) VALUES ('net', '#old', '!old:hs', '#old:hs')",
                "INSERT INTO irc_identity (user_id, network, nick) VALUES ('@u:hs', 'net', 'oldnick')");
        try (Database db = open(4)) {
            assertEquals(8, new MigratesSchema(db).currentVersion());
            assertEquals(Optional.of(new PortalRoomStore.PortalRoom("net", "#old", "!old:hs", "#old:hs")),
                    new PortalRoomStore(db).byChannel("net", "#old"));
            assertEquals(Optional.of("oldnick"), new IrcIdentityStore(db).nick("@u:hs", "net"));
        }
        assertEquals(List.of("6 BASELINE migrated by an earlier bridge (schema_version) checksum=false success=true",
                "7 SQL V7__processed_events.sql checksum=true success=true",
                "8 SQL V8__irc_outbox.sql checksum=true success=true"), history());
        assertFalse(hasTable("processed_transaction"), "V7 ran: it drops processed_transaction");
        assertTrue(hasTable("irc_outbox"), "V8 ran");
        // The old record keeps up, so that a bridge from before Flyway, started on it by mistake, sees it is newer.
        assertEquals(8, count("SELECT MAX(version) FROM schema_version"), "the old record names the versions applied since");
        assertEquals(8, count("SELECT COUNT(*) FROM schema_version"), "one row per version, the old ones as they were");
    }

    @Test
    void aSchemaHoldingOtherTablesAndNoRecordGetsEveryMigration() throws SQLException {
        // A schema shared with something else: a table of its own, and neither record of migrations.
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE someone_elses (id INT PRIMARY KEY)");
        }
        try (Database db = open(4)) {
            assertEquals(8, new MigratesSchema(db).currentVersion());
        }
        assertTrue(hasTable("irc_outbox"), "every migration ran");
        assertTrue(hasTable("someone_elses"), "the other table is left alone");
    }

    @Test
    void aDatabaseMadeBeforeFlywayAtTheNewestVersionOpensWithNothingToApplyAndAgainAfterwards() throws SQLException {
        madeBeforeFlyway(8, "INSERT INTO admin_room (user_id, room_id) VALUES ('@u:hs', '!admin:hs')");
        for (int start = 0; start < 2; start++) {
            try (Database db = open(4)) {
                assertEquals(8, new MigratesSchema(db).currentVersion());
                assertEquals(Optional.of("!admin:hs"), new AdminRoomStore(db).roomOf("@u:hs"));
            }
        }
        assertEquals(List.of("8 BASELINE migrated by an earlier bridge (schema_version) checksum=false success=true"), history());
    }

    @Test
    void aFirstStartThatFailedBeforeFlywayLeavesADatabaseThatGetsEveryMigration() throws SQLException {
        madeBeforeFlyway(0);
        try (Database db = open(4)) {
            assertEquals(8, new MigratesSchema(db).currentVersion());
        }
        assertTrue(hasTable("irc_outbox"));
    }

    @Test
    void aDatabaseMadeBeforeFlywayByANewerBridgeStopsTheStartWithOneLine() throws SQLException {
        try (Connection c = connect()) {
            HandRunMigrations.upTo(c, kind(), 8);
            HandRunMigrations.record(c, 9, "V9__from_the_future");
        }
        StoreException refused = assertThrows(StoreException.class, () -> open(4).close());
        assertEquals(NEWER, refused.getMessage());
        assertEquals(null, refused.getCause(), "nothing more to print than that line");
        assertFalse(hasTable(MigratesSchema.HISTORY_TABLE), "Flyway was not let loose on it");
    }

    @Test
    void aDatabaseANewerBridgeMigratedWithFlywayStopsTheStartWithOneLine() throws SQLException {
        open(4).close();
        try (Connection c = connect(); Statement s = c.createStatement()) {
            s.execute("INSERT INTO " + MigratesSchema.HISTORY_TABLE + " (installed_rank, version, description, type, script,"
                    + " checksum, installed_by, execution_time, success) SELECT MAX(installed_rank) + 1, '9', 'from the future',"
                    + " 'SQL', 'V9__from_the_future.sql', 1, 'newer', 1, TRUE FROM " + MigratesSchema.HISTORY_TABLE);
        }
        StoreException refused = assertThrows(StoreException.class, () -> open(4).close());
        assertEquals(NEWER, refused.getMessage());
    }

    @Test
    void aMigrationWhoseFileChangedAfterItWasAppliedIsRefused() throws Exception {
        try (Database db = open(4)) {
            // The same migrations as files, one of them edited after the database got it.
            for (String name : MigratesSchema.MIGRATIONS) {
                String sql = read(name);
                Files.writeString(migrationCopies.resolve(name + ".sql"),
                        name.equals("V2__portal_rooms") ? sql.replace("alias    VARCHAR(255)", "alias    VARCHAR(512)") : sql);
            }
            assertTrue(Files.readString(migrationCopies.resolve("V2__portal_rooms.sql")).contains("VARCHAR(512)"));
            MigratesSchema edited = new MigratesSchema(db, List.of("filesystem:" + migrationCopies));
            StoreException refused = assertThrows(StoreException.class, edited::migrate);
            assertEquals("migration V2__portal_rooms differs from the one applied to this database (its checksum changed):"
                    + " a migration must not change once applied; run the bridge that applied it, or restore a backup",
                    refused.getMessage());
        }
    }

    @Test
    void aPoolOfOneConnectionIsEnoughToMigrate() {
        try (Database db = open(1)) {
            assertEquals(8, new MigratesSchema(db).currentVersion());
        }
    }

    /** Makes the test's database as the bridge did before Flyway, up to a version, with rows in it. */
    private void madeBeforeFlyway(int version, String... inserts) throws SQLException {
        try (Connection c = connect()) {
            HandRunMigrations.upTo(c, kind(), version);
            try (Statement s = c.createStatement()) {
                for (String insert : inserts) {
                    s.execute(insert);
                }
            }
        }
    }

    private String read(String name) throws IOException {
        for (String directory : List.of("common", kind().migrationDirectory)) {
            try (InputStream in = getClass().getClassLoader().getResourceAsStream("db/migration/" + directory + "/" + name + ".sql")) {
                if (in != null) {
                    return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
                }
            }
        }
        throw new IllegalStateException(name + " is not in the build");
    }

    /**
     * Flyway's history, a line per versioned row in order: version, type, script, whether a checksum is kept, and
     * success. (Flyway's row that marks the table's creation has no version.)
     */
    protected List<String> history() throws SQLException {
        List<String> rows = new ArrayList<>();
        try (Connection c = connect(); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT version, type, script, checksum, success FROM "
                        + MigratesSchema.HISTORY_TABLE + " WHERE version IS NOT NULL ORDER BY installed_rank")) {
            while (rs.next()) {
                rs.getInt(4);
                boolean checksum = !rs.wasNull();
                rows.add(rs.getString(1) + " " + rs.getString(2) + " " + rs.getString(3) + " checksum=" + checksum
                        + " success=" + rs.getBoolean(5));
            }
        }
        return rows;
    }

    protected boolean hasTable(String name) throws SQLException {
        try (Connection c = connect(); PreparedStatement ps = c.prepareStatement(
                "SELECT COUNT(*) FROM information_schema.tables WHERE table_schema = ? AND table_name = ?")) {
            ps.setString(1, c.getSchema());
            ps.setString(2, name);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1) > 0;
            }
        }
    }

    protected int count(String sql) throws SQLException {
        try (Connection c = connect(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }
}
