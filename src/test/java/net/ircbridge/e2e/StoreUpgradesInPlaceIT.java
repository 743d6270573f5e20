package net.ircbridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import net.ircbridge.store.Database;
import net.ircbridge.store.HandRunMigrations;
import net.ircbridge.testbed.Await;
import net.ircbridge.testbed.MatrixTestClient;
import net.ircbridge.testbed.TestBed;
import org.junit.jupiter.api.Test;

/**
 * The packaged bridge opens a database that the bridge made before it migrated with Flyway (its hand-run migrations,
 * kept as {@link HandRunMigrations}, here up to version 6): the data stays, the two newer migrations are applied
 * from the jar's migration files, and the bridge works on it. One from a newer bridge stops the start.
 */
class StoreUpgradesInPlaceIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void anEmbeddedDatabaseMadeBeforeFlywayIsUpgradedInPlaceAndKeepsItsData() throws Exception {
        TestBed bed = TestBed.get();
        MatrixTestClient user = MatrixTestClient.register(bed, bed.uniqueName("up"));
        Path data = embeddedMadeBeforeFlyway(bed, "upgrade-h2", 6, c -> keep(c, user.userId()));
        try (BridgeProcess bridge = BridgeProcess.start(TestBridgeConfig.write(bed, "upgrade-h2",
                TestBridgeConfig.embeddedDatabase(data)))) {
            assertMigratedFromSix(bridge.output());
            logsOutTheLoginAnEarlierBridgeKept(bed, user);
        }
        // The embedded database is the bridge's alone while it runs: read it once it has stopped.
        try (Connection c = HandRunMigrations.connectEmbedded(data)) {
            assertUpgraded(c, user.userId());
        }
    }

    @Test
    void aPostgresqlDatabaseMadeBeforeFlywayIsUpgradedInPlaceAndKeepsItsData() throws Exception {
        TestBed bed = TestBed.get();
        MatrixTestClient user = MatrixTestClient.register(bed, bed.uniqueName("up"));
        // A schema of its own in the bed's database, so that it is as an earlier bridge left it.
        String schema = bed.uniqueName("upgrade");
        try (Connection c = DriverManager.getConnection(bed.postgresJdbcUrl(), bed.postgresUser(), bed.postgresPassword());
                Statement s = c.createStatement()) {
            s.execute("CREATE SCHEMA " + schema);
        }
        String url = bed.postgresJdbcUrl() + "?currentSchema=" + schema;
        try (Connection c = DriverManager.getConnection(url, bed.postgresUser(), bed.postgresPassword())) {
            HandRunMigrations.upTo(c, Database.Kind.POSTGRESQL, 6);
            keep(c, user.userId());
        }
        String database = "database:\n  url: " + url + "\n  username: " + bed.postgresUser()
                + "\n  password: " + bed.postgresPassword() + "\n";
        try (BridgeProcess bridge = BridgeProcess.start(TestBridgeConfig.write(bed, "upgrade-pg", database))) {
            assertMigratedFromSix(bridge.output());
            logsOutTheLoginAnEarlierBridgeKept(bed, user);
            try (Connection c = DriverManager.getConnection(url, bed.postgresUser(), bed.postgresPassword())) {
                assertUpgraded(c, user.userId());
            }
        }
    }

    @Test
    void aDatabaseFromANewerBridgeStopsTheStartWithOneLine() throws Exception {
        TestBed bed = TestBed.get();
        Path data = embeddedMadeBeforeFlyway(bed, "upgrade-newer", 8, c -> {
            HandRunMigrations.record(c, 9, "V9__from_a_newer_bridge");
            return null;
        });
        Path config = TestBridgeConfig.write(bed, "upgrade-newer", TestBridgeConfig.embeddedDatabase(data));
        try (BridgeProcess bridge = BridgeProcess.launch("upgrade-newer", "-c", config.toString())) {
            Await.until(BridgeProcess.START_TIMEOUT, "the bridge exits", () -> !bridge.isAlive());
            assertEquals(1, bridge.exitCode(), String.join("\n", bridge.output()));
            List<String> said = bridge.output().stream().filter(l -> l.contains("schema version")).toList();
            assertEquals(List.of("  the database has schema version 9, newer than this bridge knows (8); run a newer bridge"
                    + " or restore a backup"), said, String.join("\n", bridge.output()));
        }
    }

    /** The data directory of a bridge under test, with the embedded database the bridge made before Flyway. */
    private static Path embeddedMadeBeforeFlyway(TestBed bed, String name, int version, Database.SqlWork<?> more)
            throws Exception {
        Path data = Files.createDirectories(bed.workDir().resolve("bridges").resolve(name).resolve("data"));
        try (Connection c = HandRunMigrations.connectEmbedded(data)) {
            HandRunMigrations.upTo(c, Database.Kind.H2, version);
            more.run(c);
        }
        return data;
    }

    /** Rows an earlier bridge kept: a nick of someone else, and the user's login to the test network (V6). */
    private static Void keep(Connection c, String user) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("INSERT INTO irc_identity (user_id, network, nick) VALUES ('@earlier:hs', 'testnet', 'kept')");
        }
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO irc_login (user_id, network, account, sealed_password)"
                + " VALUES (?, 'testnet', 'earlier', 'sealed by an earlier bridge')")) {
            ps.setString(1, user);
            ps.executeUpdate();
        }
        return null;
    }

    private static void assertMigratedFromSix(List<String> output) {
        List<String> migrations = output.stream().filter(l -> l.contains("Database migrated") || l.contains("Database at version"))
                .map(l -> l.replaceFirst("^.*\\] ", "")).toList();
        assertEquals(List.of("Database at version 6, recorded in schema_version by an earlier bridge: Flyway takes over"
                        + " from there (flyway_schema_history)",
                "Database migrated to version 7 (V7__processed_events)",
                "Database migrated to version 8 (V8__irc_outbox)"), migrations, String.join("\n", output));
        // Flyway logs as org.flywaydb…, which the console shows as [o.f.…].
        assertTrue(output.stream().noneMatch(l -> l.contains("[o.f.")), "Flyway's own lines stay out: " + output);
    }

    /**
     * The user's {@code !logout} in their direct chat with the bot finds the login the earlier bridge kept: the running
     * bridge reads the old rows, and takes new events (V7) and admin rooms into the upgraded store.
     */
    private static void logsOutTheLoginAnEarlierBridgeKept(TestBed bed, MatrixTestClient user) {
        String bot = "@ircbridge:" + bed.serverName();
        String room = user.createDirectChat(bot);
        Await.until(WAIT, "the bot joins the direct chat", () -> user.members(room).contains(bot));
        user.sendText(room, "!logout");
        user.awaitEvent(room, e -> bot.equals(e.path("sender").asText())
                && e.path("content").path("body").asText().contains("Forgot your login for Test IRC."), WAIT);
    }

    private static void assertUpgraded(Connection c, String user) throws SQLException {
        assertEquals(List.of("kept"), strings(c, "SELECT nick FROM irc_identity WHERE user_id = ?", "@earlier:hs"));
        assertEquals(List.of(), strings(c, "SELECT account FROM irc_login WHERE user_id = ?", user), "logged out");
        assertEquals(1, strings(c, "SELECT room_id FROM admin_room WHERE user_id = ?", user).size());
        assertEquals(List.of("6 BASELINE", "7 SQL", "8 SQL"), strings(c, "SELECT version || ' ' || type FROM flyway_schema_history"
                + " WHERE version IS NOT NULL AND success ORDER BY installed_rank"));
    }

    private static List<String> strings(Connection c, String sql, String... parameters) throws SQLException {
        List<String> values = new ArrayList<>();
        try (PreparedStatement ps = c.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                ps.setString(i + 1, parameters[i]);
            }
            try (ResultSet rs = ps.executeQuery()) {
                while (rs.next()) {
                    values.add(rs.getString(1));
                }
            }
        }
        return values;
    }
}
