package net.ircbridge.store;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Brings the schema to the newest version, one versioned migration at a time, each in its own transaction.
 * Every migration exists once per database dialect under {@code db/migration/<dialect>/}.
 */
final class MigratesSchema {

    private static final Logger LOG = Logger.getLogger(MigratesSchema.class);

    /** Every migration, oldest first. A new one is appended here and added in every dialect's directory. */
    static final List<String> MIGRATIONS = List.of("V1__foundation", "V2__portal_rooms", "V3__irc_identities", "V4__owed_invites",
            "V5__direct_chats", "V6__irc_logins");

    private final Database database;

    MigratesSchema(Database database) {
        this.database = database;
    }

    void migrate() {
        database.withConnection(c -> {
            try (Statement s = c.createStatement()) {
                s.execute("CREATE TABLE IF NOT EXISTS schema_version (version INT PRIMARY KEY, name VARCHAR(255) NOT NULL,"
                        + " applied_at BIGINT NOT NULL)");
            }
            return null;
        });
        int current = currentVersion();
        if (current > MIGRATIONS.size()) {
            throw new StoreException("the database has schema version " + current + ", newer than this bridge knows ("
                    + MIGRATIONS.size() + "); run a newer bridge or restore a backup", null);
        }
        for (int version = current + 1; version <= MIGRATIONS.size(); version++) {
            String name = MIGRATIONS.get(version - 1);
            String sql = read(database.kind().migrationDirectory, name);
            int v = version;
            database.inTransaction(c -> {
                apply(c, sql);
                try (PreparedStatement ps = c.prepareStatement(
                        "INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)")) {
                    ps.setInt(1, v);
                    ps.setString(2, name);
                    ps.setLong(3, System.currentTimeMillis());
                    ps.executeUpdate();
                }
                return null;
            });
            LOG.infof("Database migrated to version %d (%s)", version, name);
        }
    }

    int currentVersion() {
        return database.withConnection(c -> {
            try (Statement s = c.createStatement(); ResultSet rs = s.executeQuery("SELECT MAX(version) FROM schema_version")) {
                return rs.next() ? rs.getInt(1) : 0;
            }
        });
    }

    private static void apply(Connection c, String sql) throws SQLException {
        try (Statement s = c.createStatement()) {
            for (String statement : sql.split(";\\s*(\\n|$)")) {
                String withoutComments = statement.replaceAll("(?m)^\\s*--.*$", "").trim();
                if (!withoutComments.isEmpty()) {
                    s.execute(withoutComments);
                }
            }
        }
    }

    private static String read(String dialect, String name) {
        String path = "db/migration/" + dialect + "/" + name + ".sql";
        try (InputStream in = MigratesSchema.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new StoreException("migration " + path + " is missing from the build", null);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new StoreException("cannot read migration " + path, e);
        }
    }
}
