package net.ircbridge.store;

import io.agroal.api.AgroalDataSource;
import io.agroal.api.configuration.AgroalConnectionPoolConfiguration;
import io.agroal.api.exceptionsorter.PostgreSQLExceptionSorter;
import io.agroal.api.configuration.supplier.AgroalDataSourceConfigurationSupplier;
import io.agroal.api.security.NamePrincipal;
import io.agroal.api.security.SimplePassword;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;

/**
 * The bridge's database: an embedded H2 file by default, PostgreSQL when a URL is given, chosen at run time.
 * Both get the same versioned migrations ({@link MigratesSchema}) before anything else touches them.
 */
public final class Database implements AutoCloseable {

    /** Which SQL dialect the migrations and queries are written for. */
    public enum Kind {
        H2("h2"), POSTGRESQL("postgresql");

        /** Under {@code db/migration/}: the migrations only this dialect has (the others are in {@code common}). */
        final String migrationDirectory;

        Kind(String migrationDirectory) {
            this.migrationDirectory = migrationDirectory;
        }
    }

    private final AgroalDataSource dataSource;
    private final Kind kind;

    private Database(AgroalDataSource dataSource, Kind kind) {
        this.dataSource = dataSource;
        this.kind = kind;
    }

    /** An embedded database in a file under the data directory; nothing to install. */
    public static Database embedded(Path dataDirectory, int maxConnections) {
        return open(embeddedUrl(dataDirectory), "sa", "", maxConnections, Kind.H2);
    }

    /** The JDBC URL of the embedded database in a data directory (user {@code sa}, no password). */
    static String embeddedUrl(Path dataDirectory) {
        // PostgreSQL mode lets the bridge's queries be written once for both databases.
        return "jdbc:h2:file:" + dataDirectory.toAbsolutePath().resolve(KeepsTheDataDirectoryPrivate.EMBEDDED_DATABASE)
                + ";MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH;DB_CLOSE_ON_EXIT=FALSE;WRITE_DELAY=0"
                // No trace file: it would hold failed statements with their parameters, and be made with the umask.
                + ";TRACE_LEVEL_FILE=0";
    }

    /** A PostgreSQL database at a JDBC URL. */
    public static Database postgresql(String url, String user, String password, int maxConnections) {
        return open(url, user, password, maxConnections, Kind.POSTGRESQL);
    }

    private static Database open(String url, String user, String password, int maxConnections, Kind kind) {
        AgroalDataSourceConfigurationSupplier config = new AgroalDataSourceConfigurationSupplier()
                .connectionPoolConfiguration(pool -> pool
                        .maxSize(maxConnections)
                        .acquisitionTimeout(Duration.ofSeconds(30))
                        // Connections broken by a database restart are noticed and replaced, not handed out again.
                        .connectionValidator(AgroalConnectionPoolConfiguration.ConnectionValidator.defaultValidator())
                        .validateOnBorrow(true)
                        .exceptionSorter(kind == Kind.POSTGRESQL ? new PostgreSQLExceptionSorter()
                                : AgroalConnectionPoolConfiguration.ExceptionSorter.defaultExceptionSorter())
                        .connectionFactoryConfiguration(factory -> {
                            factory.jdbcUrl(url).autoCommit(true);
                            if (user != null && !user.isEmpty()) {
                                factory.principal(new NamePrincipal(user));
                            }
                            if (password != null && !password.isEmpty()) {
                                factory.credential(new SimplePassword(password));
                            }
                            return factory;
                        }));
        AgroalDataSource dataSource;
        try {
            dataSource = AgroalDataSource.from(config);
        } catch (SQLException e) {
            throw new StoreException("cannot open the database: " + e.getMessage(), e);
        }
        Database database = new Database(dataSource, kind);
        try {
            new MigratesSchema(database).migrate();
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
        return database;
    }

    public Kind kind() {
        return kind;
    }

    /** The pool itself, for Flyway, which takes and gives back its connections as it needs them. */
    javax.sql.DataSource dataSource() {
        return dataSource;
    }

    /**
     * Runs work with the pool allowed at least {@code connections} at once, and its own size again afterwards. Flyway
     * keeps its first connection open while it takes a second to migrate on: with {@code database.max-connections: 1}
     * it would wait for itself.
     */
    <T> T withAtLeast(int connections, java.util.function.Supplier<T> work) {
        AgroalConnectionPoolConfiguration pool = dataSource.getConfiguration().connectionPoolConfiguration();
        int configured = pool.maxSize();
        if (configured >= connections) {
            return work.get();
        }
        pool.setMaxSize(connections);
        try {
            return work.get();
        } finally {
            pool.setMaxSize(configured);
            // The extra connection is closed now: idle in the pool it could still be handed out beside another.
            dataSource.flush(AgroalDataSource.FlushMode.IDLE);
        }
    }

    /** A connection from the pool; the caller closes it. */
    public Connection connection() throws SQLException {
        return dataSource.getConnection();
    }

    /**
     * Runs work in one database transaction, committed when it returns and rolled back when it throws. Once it has
     * returned, the transaction is on disk: H2 otherwise keeps commits in memory for up to a second, and a kill -9
     * in that second would lose them.
     */
    public <T> T inTransaction(SqlWork<T> work) {
        try (Connection c = connection()) {
            c.setAutoCommit(false);
            try {
                T result = work.run(c);
                c.commit();
                if (kind == Kind.H2) {
                    try (java.sql.Statement s = c.createStatement()) {
                        s.execute("CHECKPOINT");
                    }
                }
                return result;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            } finally {
                c.setAutoCommit(true);
            }
        } catch (SQLException e) {
            throw new StoreException(e.getMessage(), e);
        }
    }

    /** Runs work on a connection in auto-commit mode. */
    public <T> T withConnection(SqlWork<T> work) {
        try (Connection c = connection()) {
            return work.run(c);
        } catch (SQLException e) {
            throw new StoreException(e.getMessage(), e);
        }
    }

    /**
     * Deletes rows and inserts one, in one transaction: how the stores put a value that replaces older ones.
     *
     * @param deleteSql a DELETE taking {@code deleteParams}
     * @param insertSql an INSERT taking {@code insertParams}
     */
    public void replace(String deleteSql, List<String> deleteParams, String insertSql, List<String> insertParams) {
        inTransaction(c -> {
            try (java.sql.PreparedStatement delete = c.prepareStatement(deleteSql)) {
                bind(delete, deleteParams).executeUpdate();
            }
            try (java.sql.PreparedStatement insert = c.prepareStatement(insertSql)) {
                bind(insert, insertParams).executeUpdate();
            }
            return null;
        });
    }

    private static java.sql.PreparedStatement bind(java.sql.PreparedStatement ps, List<String> params) throws SQLException {
        for (int i = 0; i < params.size(); i++) {
            ps.setString(i + 1, params.get(i));
        }
        return ps;
    }

    /** The first column of the first row a one-parameter query returns, if any. */
    public java.util.Optional<String> queryString(String sql, String parameter) {
        return withConnection(c -> {
            try (java.sql.PreparedStatement ps = c.prepareStatement(sql)) {
                ps.setString(1, parameter);
                try (java.sql.ResultSet rs = ps.executeQuery()) {
                    return rs.next() ? java.util.Optional.ofNullable(rs.getString(1)) : java.util.Optional.<String>empty();
                }
            }
        });
    }

    /**
     * Closes the pool; an embedded database is shut down first, so that its file is free once this returns. The pool
     * closes its connections in the background, and H2 keeps the file locked until the last one is closed: under
     * load, a bridge started on the same data directory right after (a restart, a tool that wrote to the store)
     * found it "already in use".
     */
    @Override
    public void close() {
        if (kind == Kind.H2) {
            try (Connection c = dataSource.getConnection(); java.sql.Statement s = c.createStatement()) {
                s.execute("SHUTDOWN");
            } catch (SQLException e) {
                // Closed already, or broken: the pool's close below is all there is left to do.
                org.jboss.logging.Logger.getLogger(Database.class).debugf("Shutting the embedded database down: %s", e.getMessage());
            }
        }
        dataSource.close();
    }

    /** Work on a connection that may throw {@link SQLException}. */
    @FunctionalInterface
    public interface SqlWork<T> {
        T run(Connection connection) throws SQLException;
    }

    /** Whether an exception is a unique-key violation (SQLSTATE 23505 on both databases). */
    public static boolean isDuplicateKey(SQLException e) {
        return "23505".equals(e.getSQLState());
    }
}
