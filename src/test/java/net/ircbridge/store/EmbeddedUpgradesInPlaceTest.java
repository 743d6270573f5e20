package net.ircbridge.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import org.junit.jupiter.api.io.TempDir;

/** Migrations on the embedded database (H2 in a file). */
class EmbeddedUpgradesInPlaceTest extends UpgradesInPlaceContract {

    @TempDir
    Path dataDirectory;

    @Override
    protected Database open(int maxConnections) {
        return Database.embedded(dataDirectory, maxConnections);
    }

    @Override
    protected Connection connect() throws SQLException {
        return HandRunMigrations.connectEmbedded(dataDirectory);
    }

    @Override
    protected Database.Kind kind() {
        return Database.Kind.H2;
    }
}
