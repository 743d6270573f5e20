package net.ircbridge.store;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.Path;
import net.ircbridge.config.ConfigFiles;
import net.ircbridge.config.DatabaseConfig;
import org.jboss.logging.Logger;

/** Opens the database the configuration names and hands out the stores built on it. */
@ApplicationScoped
public class OpensTheStore {

    private static final Logger LOG = Logger.getLogger(OpensTheStore.class);

    @Produces
    @Singleton
    Database database(DatabaseConfig config) {
        if (config.url().isPresent()) {
            LOG.infof("Using PostgreSQL at %s", config.url().get().replaceAll("password=[^&]*", "password=…"));
            return Database.postgresql(config.url().get(), config.username().orElse(""), config.password().orElse(""),
                    config.maxConnections());
        }
        Path directory = ConfigFiles.resolve(config.dataDirectory());
        try {
            KeepsTheDataDirectoryPrivate.directory(directory);
        } catch (IOException e) {
            throw new StoreException("database.data-directory: cannot create " + directory + ": " + e.getMessage(), e);
        }
        LOG.infof("Using the embedded database in %s", directory);
        Database database = Database.embedded(directory, config.maxConnections());
        // H2 made its files with the process's umask: narrow them now that they exist.
        KeepsTheDataDirectoryPrivate.files(directory);
        return database;
    }

    void close(@Disposes Database database, DatabaseConfig config) {
        database.close();
        if (config.url().isEmpty()) {
            // Files the database made while it ran (its trace file, say) are narrowed too.
            KeepsTheDataDirectoryPrivate.files(ConfigFiles.resolve(config.dataDirectory()));
        }
    }

    @Produces
    @Singleton
    InboundTransactionStore transactions(Database database) {
        return new InboundTransactionStore(database);
    }

    @Produces
    @Singleton
    AdminRoomStore adminRooms(Database database) {
        return new AdminRoomStore(database);
    }

    @Produces
    @Singleton
    RegisteredUserStore registeredUsers(Database database) {
        return new RegisteredUserStore(database);
    }

    @Produces
    @Singleton
    OwedInviteStore owedInvites(Database database) {
        return new OwedInviteStore(database);
    }

    @Produces
    @Singleton
    IrcIdentityStore ircIdentities(Database database) {
        return new IrcIdentityStore(database);
    }

    @Produces
    @Singleton
    PortalRoomStore portalRooms(Database database) {
        return new PortalRoomStore(database);
    }

    @Produces
    @Singleton
    DirectChatStore directChats(Database database) {
        return new DirectChatStore(database);
    }

    @Produces
    @Singleton
    IrcOutboxStore ircOutbox(Database database) {
        return new IrcOutboxStore(database);
    }

    /** Passwords are sealed with a key kept in the data directory, whichever database holds them. */
    @Produces
    @Singleton
    IrcLoginStore ircLogins(Database database, DatabaseConfig config) {
        return new IrcLoginStore(database, SealsSecrets.withKeyFile(ConfigFiles.resolve(config.dataDirectory()).resolve("secrets.key")));
    }
}
