package net.ircbridge.store;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import net.ircbridge.testbed.TestBed;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Migrations on a real PostgreSQL, started by the test bed. Each test has a schema of its own in the bed's database
 * (the bridge's connection URL names it), so it starts empty.
 */
class PostgresUpgradesInPlaceIT extends UpgradesInPlaceContract {

    private final TestBed bed = TestBed.get();
    private final String schema = "upgrade_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);

    @BeforeEach
    void makeTheSchema() throws SQLException {
        try (Connection c = DriverManager.getConnection(bed.postgresJdbcUrl(), bed.postgresUser(), bed.postgresPassword());
                Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
    }

    @AfterEach
    void dropTheSchema() throws SQLException {
        try (Connection c = DriverManager.getConnection(bed.postgresJdbcUrl(), bed.postgresUser(), bed.postgresPassword());
                Statement s = c.createStatement()) {
            s.execute("DROP SCHEMA " + schema + " CASCADE");
        }
    }

    private String url() {
        return bed.postgresJdbcUrl() + "?currentSchema=" + schema;
    }

    @Override
    protected Database open(int maxConnections) {
        return Database.postgresql(url(), bed.postgresUser(), bed.postgresPassword(), maxConnections);
    }

    @Override
    protected Connection connect() throws SQLException {
        return DriverManager.getConnection(url(), bed.postgresUser(), bed.postgresPassword());
    }

    @Override
    protected Database.Kind kind() {
        return Database.Kind.POSTGRESQL;
    }

    @Test
    void bridgesStartingTogetherOnOneDatabaseApplyEachMigrationOnce() throws Exception {
        // Without Flyway's lock the later bridges' CREATE TABLEs fail, or a version is recorded twice.
        assertEquals(List.of(8, 8, 8), startTogether(3));
        List<String> once = new ArrayList<>();
        for (int v = 1; v <= 8; v++) {
            once.add(v + " SQL " + MigratesSchema.MIGRATIONS.get(v - 1) + ".sql checksum=true success=true");
        }
        assertEquals(once, history());
    }

    @Test
    void bridgesStartingTogetherOnADatabaseMadeBeforeFlywayBaselineItOnce() throws Exception {
        try (Connection c = connect()) {
            HandRunMigrations.upTo(c, kind(), 5);
        }
        assertEquals(List.of(8, 8, 8), startTogether(3));
        assertEquals(List.of("5 BASELINE migrated by an earlier bridge (schema_version) checksum=false success=true",
                "6 SQL V6__irc_logins.sql checksum=true success=true",
                "7 SQL V7__processed_events.sql checksum=true success=true",
                "8 SQL V8__irc_outbox.sql checksum=true success=true"), history());
    }

    /** Opens the database from several threads at the same moment, as bridges started together would; their versions. */
    private List<Integer> startTogether(int bridges) throws Exception {
        CyclicBarrier together = new CyclicBarrier(bridges);
        ExecutorService starts = Executors.newFixedThreadPool(bridges);
        try {
            List<Future<Integer>> opened = new ArrayList<>();
            for (int i = 0; i < bridges; i++) {
                opened.add(starts.submit(() -> {
                    together.await(30, TimeUnit.SECONDS);
                    try (Database db = open(4)) {
                        return new MigratesSchema(db).currentVersion();
                    }
                }));
            }
            List<Integer> versions = new ArrayList<>();
            for (Future<Integer> version : opened) {
                versions.add(version.get(120, TimeUnit.SECONDS));
            }
            return versions;
        } finally {
            starts.shutdownNow();
        }
    }
}
