package net.ircbridge.store;

import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Arrays;
import java.util.List;
import java.util.OptionalInt;
import java.util.stream.Collectors;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationInfoService;
import org.flywaydb.core.api.output.MigrateOutput;
import org.jboss.logging.Logger;

/**
 * Brings the schema to the newest version with Flyway, on the store's own pool, before anything else touches it.
 * Flyway records every applied migration with a checksum of its file (in {@value #HISTORY_TABLE}), refuses to go on
 * when a file changed after it was applied. On PostgreSQL the whole upgrade runs under an advisory lock of the
 * bridge's own (Flyway's lock covers applying migrations, not the baseline before them), so that two bridges
 * starting on one database at the same time do not both apply, or baseline, anything.
 *
 * <p>A migration the dialects agree on is one file under {@code db/migration/common/}; one they don't agree on has
 * a file per dialect under {@code db/migration/<dialect>/} and none in {@code common}. Flyway reads {@code common}
 * and the dialect's directory, so it finds each version once (a version found twice stops it).
 *
 * <p>Before Flyway the bridge applied these migrations itself and recorded their versions in
 * {@value #LEGACY_TABLE}. Such a database is upgraded in place: Flyway's history starts with a baseline at the
 * highest version recorded there, the newer migrations are applied on top, and the old table is left as it was.
 */
final class MigratesSchema {

    private static final Logger LOG = Logger.getLogger(MigratesSchema.class);

    /**
     * Every migration, oldest first: the versions this bridge knows. A new one is appended here and added under
     * {@code db/migration/}. Flyway must find exactly these in the build: a packaged jar whose scan missed a file
     * would otherwise take an up-to-date database for a newer one, or a fresh one for complete.
     */
    static final List<String> MIGRATIONS = List.of("V1__foundation", "V2__portal_rooms", "V3__irc_identities", "V4__owed_invites",
            "V5__direct_chats", "V6__irc_logins",
            "V7__processed_events", "V8__irc_outbox");

    /** Flyway's record of applied migrations (its default name). */
    static final String HISTORY_TABLE = "flyway_schema_history";

    /** Where the bridge recorded the migrations it applied before Flyway did it (one row per version). */
    static final String LEGACY_TABLE = "schema_version";

    /**
     * The first half of the bridge's PostgreSQL advisory lock on upgrading a schema; the second is the schema's
     * search path, so that bridges on different schemas of one database do not wait for each other. Flyway's own
     * locks use single 64-bit keys, a key space apart from this pair's.
     */
    private static final int MIGRATION_LOCK = 0x1bc1bc;

    private final Database database;
    private final List<String> locations;

    MigratesSchema(Database database) {
        this(database, List.of("classpath:db/migration/common", "classpath:db/migration/" + database.kind().migrationDirectory));
    }

    /** With the migrations read from other locations, in Flyway's syntax ({@code classpath:…}, {@code filesystem:…}). */
    MigratesSchema(Database database, List<String> locations) {
        this.database = database;
        this.locations = List.copyOf(locations);
    }

    void migrate() {
        if (database.kind() != Database.Kind.POSTGRESQL) {
            // An embedded database has one bridge on it at a time: H2 locks its file.
            database.withAtLeast(2, () -> {
                migrateOnce();
                return null;
            });
            return;
        }
        // Flyway's own lock covers applying migrations, not what comes before: two bridges starting together on an
        // empty schema both found no history table, one made it, and the other's baseline then failed on a table
        // "that already exists, and is empty". The whole upgrade, reading the legacy record included, runs under a
        // lock of the bridge's own, held on a connection of its own while Flyway takes two more.
        database.withAtLeast(3, () -> database.withConnection(lock -> {
            takeTheUpgradeLock(lock);
            try {
                migrateOnce();
            } finally {
                try (var ps = lock.prepareStatement("SELECT pg_advisory_unlock(?, hashtext(current_setting('search_path')))")) {
                    ps.setInt(1, MIGRATION_LOCK);
                    ps.execute();
                } catch (java.sql.SQLException e) {
                    // The lock goes with the connection anyway; the upgrade's own failure, if any, is the one to tell.
                    LOG.warnf("Cannot release the schema upgrade lock: %s", e.getMessage());
                }
            }
            return null;
        }));
    }

    /** How long a bridge waits for another one's upgrade of the same schema before it gives up. */
    static final java.time.Duration UPGRADE_LOCK_WAIT = java.time.Duration.ofMinutes(10);

    /** Takes the upgrade lock, waiting (and saying so) while another bridge holds it, for at most {@link #UPGRADE_LOCK_WAIT}. */
    private static void takeTheUpgradeLock(Connection lock) throws java.sql.SQLException {
        long giveUpAt = System.nanoTime() + UPGRADE_LOCK_WAIT.toNanos();
        boolean told = false;
        while (true) {
            try (var ps = lock.prepareStatement("SELECT pg_try_advisory_lock(?, hashtext(current_setting('search_path')))")) {
                ps.setInt(1, MIGRATION_LOCK);
                try (ResultSet rs = ps.executeQuery()) {
                    if (rs.next() && rs.getBoolean(1)) {
                        return;
                    }
                }
            }
            if (System.nanoTime() - giveUpAt > 0) {
                throw new StoreException("another bridge has been upgrading this database's schema for "
                        + UPGRADE_LOCK_WAIT.toMinutes() + " minutes (it holds the upgrade lock): stop it, or wait for it", null);
            }
            if (!told) {
                LOG.info("Another bridge is upgrading this database's schema: waiting for it to finish");
                told = true;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new StoreException("interrupted while waiting for another bridge's schema upgrade", e);
            }
        }
    }

    private void migrateOnce() {
        OptionalInt legacy = legacyVersion();
        try {
            Flyway flyway = flyway(legacy);
            MigrationInfoService info = flyway.info();
            checkTheBuildHasEveryMigration(info);
            refuseANewerDatabase(legacy.isPresent() ? legacy.getAsInt() : newestApplied(info));
            refuseChangedMigrations(info);
            if (legacy.isPresent()) {
                LOG.infof("Database at version %d, recorded in %s by an earlier bridge: Flyway takes over from there (%s)",
                        legacy.getAsInt(), LEGACY_TABLE, HISTORY_TABLE);
            }
            for (MigrateOutput applied : flyway.migrate().migrations) {
                int version = Integer.parseInt(applied.version);
                LOG.infof("Database migrated to version %d (%s)", version, MIGRATIONS.get(version - 1));
            }
            keepTheLegacyRecordInStep();
        } catch (FlywayException e) {
            throw new StoreException("cannot migrate the database: " + oneLine(e.getMessage()), e);
        }
    }

    /**
     * A database that still has the record of the bridges before Flyway gets a row there for every version applied
     * since, so that such a bridge, started on it by mistake (a downgrade), refuses a schema newer than it knows
     * instead of running on it.
     */
    private void keepTheLegacyRecordInStep() {
        database.withConnection(c -> {
            if (!hasTable(c, LEGACY_TABLE)) {
                return null;
            }
            int recorded;
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT MAX(version) FROM " + LEGACY_TABLE)) {
                recorded = rs.next() ? rs.getInt(1) : 0;
            }
            for (int version = recorded + 1; version <= MIGRATIONS.size(); version++) {
                try (var ps = c.prepareStatement("INSERT INTO " + LEGACY_TABLE + " (version, name, applied_at) VALUES (?, ?, ?)")) {
                    ps.setInt(1, version);
                    ps.setString(2, MIGRATIONS.get(version - 1));
                    ps.setLong(3, System.currentTimeMillis());
                    ps.executeUpdate();
                }
            }
            return null;
        });
    }

    /** The newest version applied to the database, 0 for an empty one. */
    int currentVersion() {
        try {
            MigrationInfo current = database.withAtLeast(2, () -> flyway(OptionalInt.empty()).info().current());
            return current == null ? 0 : Integer.parseInt(current.getVersion().getVersion());
        } catch (FlywayException e) {
            throw new StoreException("cannot read the database's schema version: " + oneLine(e.getMessage()), e);
        }
    }

    private Flyway flyway(OptionalInt legacy) {
        return Flyway.configure(MigratesSchema.class.getClassLoader())
                .dataSource(database.dataSource())
                .locations(locations.toArray(String[]::new))
                // A location the build lost, or a file named so that Flyway would skip it, stops the start.
                .failOnMissingLocations(true)
                .validateMigrationNaming(true)
                // The SQL runs as written: nothing in it is a placeholder.
                .placeholderReplacement(false)
                .loggers(KeepsFlywayQuiet.class.getName())
                // A database made before Flyway is baselined at the version it recorded. A schema that holds other
                // tables and no record at all (a PostgreSQL schema shared with something else, as the bridges before
                // Flyway allowed) is baselined at 0: every migration is applied, as to an empty one, and one whose
                // tables are there already stops the start with the database's words.
                .baselineOnMigrate(true)
                .baselineVersion(String.valueOf(legacy.orElse(0)))
                .baselineDescription("migrated by an earlier bridge (" + LEGACY_TABLE + ")")
                .load();
    }

    /**
     * The newest version recorded by the bridge before Flyway, when the database has that record and not yet
     * Flyway's: 0 when it has the table with no row (a first start that failed).
     */
    private OptionalInt legacyVersion() {
        return database.withConnection(c -> {
            if (hasTable(c, HISTORY_TABLE) || !hasTable(c, LEGACY_TABLE)) {
                return OptionalInt.empty();
            }
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT MAX(version) FROM " + LEGACY_TABLE)) {
                return OptionalInt.of(rs.next() ? rs.getInt(1) : 0);
            }
        });
    }

    private static boolean hasTable(Connection c, String name) throws SQLException {
        DatabaseMetaData meta = c.getMetaData();
        // '_' is a wildcard in metadata patterns.
        String pattern = name.replace("_", meta.getSearchStringEscape() + "_");
        try (ResultSet rs = meta.getTables(null, c.getSchema(), pattern, new String[] {"TABLE"})) {
            return rs.next();
        }
    }

    private static void checkTheBuildHasEveryMigration(MigrationInfoService info) {
        List<String> found = Arrays.stream(info.all())
                .filter(m -> m.getState().isResolved() && !m.getType().isSynthetic())
                .map(m -> m.getScript().replaceFirst("\\.sql$", ""))
                .toList();
        if (!found.equals(MIGRATIONS)) {
            throw new StoreException("the build's migrations are " + found + ", not the " + MIGRATIONS
                    + " this bridge knows; the build is broken", null);
        }
    }

    private static int newestApplied(MigrationInfoService info) {
        return Arrays.stream(info.applied())
                .filter(m -> m.getVersion() != null)
                .mapToInt(m -> Integer.parseInt(m.getVersion().getVersion()))
                .max().orElse(0);
    }

    private static void refuseANewerDatabase(int version) {
        if (version > MIGRATIONS.size()) {
            throw new StoreException("the database has schema version " + version + ", newer than this bridge knows ("
                    + MIGRATIONS.size() + "); run a newer bridge or restore a backup", null);
        }
    }

    /** Flyway would refuse them too, in several lines and without saying what to do; this is one line. */
    private static void refuseChangedMigrations(MigrationInfoService info) {
        String changed = Arrays.stream(info.applied())
                .filter(m -> m.getResolvedChecksum() != null && !m.isChecksumMatching())
                .map(m -> m.getScript().replaceFirst("\\.sql$", ""))
                .collect(Collectors.joining(", "));
        if (!changed.isEmpty()) {
            throw new StoreException("migration " + changed + " differs from the one applied to this database (its checksum"
                    + " changed): a migration must not change once applied; run the bridge that applied it, or restore"
                    + " a backup", null);
        }
    }

    private static String oneLine(String message) {
        return message == null ? "" : message.lines().map(String::strip).filter(l -> !l.isEmpty())
                .collect(Collectors.joining(" "));
    }
}
