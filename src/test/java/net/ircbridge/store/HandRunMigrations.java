package net.ircbridge.store;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * A database made by the bridge before Flyway: a copy, kept as a test fixture, of what its {@code MigratesSchema}
 * did (up to commit fd5d584). It created {@code schema_version}, then applied each migration in its own
 * transaction, split into statements at a semicolon that ends a line and stripped of comment lines, and recorded
 * it there with a row. The SQL is the same files the bridge ships, read from where they are now.
 */
public final class HandRunMigrations {

    private HandRunMigrations() {
    }

    /** A plain connection to the embedded database in a data directory, with the bridge's settings. */
    public static Connection connectEmbedded(Path dataDirectory) throws SQLException {
        return DriverManager.getConnection(Database.embeddedUrl(dataDirectory), "sa", "");
    }

    /** Applies the migrations 1 to {@code version} to a database the way the bridge did before Flyway. */
    public static void upTo(Connection c, Database.Kind kind, int version) throws SQLException {
        try (Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS schema_version (version INT PRIMARY KEY, name VARCHAR(255) NOT NULL,"
                    + " applied_at BIGINT NOT NULL)");
        }
        for (int v = 1; v <= version; v++) {
            String name = MigratesSchema.MIGRATIONS.get(v - 1);
            String sql = read(kind, name);
            c.setAutoCommit(false);
            try {
                apply(c, sql);
                record(c, v, name);
                c.commit();
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        }
    }

    /** A row in {@code schema_version} as a newer bridge of that time would have left it. */
    public static void record(Connection c, int version, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement("INSERT INTO schema_version (version, name, applied_at) VALUES (?, ?, ?)")) {
            ps.setInt(1, version);
            ps.setString(2, name);
            ps.setLong(3, System.currentTimeMillis());
            ps.executeUpdate();
        }
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

    private static String read(Database.Kind kind, String name) {
        for (String directory : new String[] {"common", kind.migrationDirectory}) {
            try (InputStream in = HandRunMigrations.class.getClassLoader()
                    .getResourceAsStream("db/migration/" + directory + "/" + name + ".sql")) {
                if (in != null) {
                    return new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        throw new IllegalStateException("migration " + name + " is not in the build");
    }
}
