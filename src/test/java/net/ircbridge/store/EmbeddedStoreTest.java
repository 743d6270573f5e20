package net.ircbridge.store;

import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

/** The store on the embedded database (H2 in a file). */
class EmbeddedStoreTest extends StoreContract {

    @TempDir
    Path dataDirectory;

    @Override
    protected Database open() {
        return Database.embedded(dataDirectory, 4);
    }
}
