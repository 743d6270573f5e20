package net.ircbridge.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.stream.Stream;
import org.jboss.logging.Logger;

/**
 * The data directory holds the database (with users' logins, sealed) and the key that opens those logins: only the
 * bridge's own system user may read it. The directory is made 0700 (and narrowed to it when it was wider), and the
 * files in it 0600, those the embedded database made included: Java cannot set a umask for the files H2 creates, so
 * they are narrowed once it has opened them, and files it makes later are behind the directory's 0700 anyway.
 * Nothing happens on a file system without POSIX permissions.
 */
public final class KeepsTheDataDirectoryPrivate {

    private static final Logger LOG = Logger.getLogger(KeepsTheDataDirectoryPrivate.class);
    static final Set<PosixFilePermission> DIRECTORY = PosixFilePermissions.fromString("rwx------");
    static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");
    /** Files looked at in the directory at most; the bridge makes a handful. */
    private static final int MAX_FILES = 1000;

    private KeepsTheDataDirectoryPrivate() {
    }

    /** Makes the directory (and its missing parents) owner-only, or narrows it to that if it is wider. */
    public static void directory(Path directory) throws IOException {
        if (!Files.isDirectory(directory)) {
            try {
                Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(DIRECTORY));
            } catch (UnsupportedOperationException notPosix) {
                Files.createDirectories(directory);
                return;
            }
        }
        narrow(directory, DIRECTORY);
    }

    /**
     * Narrows the bridge's own files directly in the directory (the embedded database's {@code bridge.*} and the key)
     * to owner-only read and write; files someone else put there are theirs to judge.
     */
    public static void files(Path directory) {
        try (Stream<Path> files = Files.list(directory)) {
            files.limit(MAX_FILES).filter(KeepsTheDataDirectoryPrivate::isTheBridges).forEach(KeepsTheDataDirectoryPrivate::file);
        } catch (IOException e) {
            LOG.warnf("Cannot list %s to make its files private: %s", directory, e.getMessage());
        }
    }

    /** Narrows one file to owner-only read and write; a failure is logged, not thrown. */
    public static void file(Path file) {
        try {
            narrow(file, FILE);
        } catch (IOException e) {
            LOG.warnf("Cannot make %s readable by the bridge's user only: %s", file, e.getMessage());
        }
    }

    private static boolean isTheBridges(Path file) {
        String name = file.getFileName().toString();
        return (name.startsWith(EMBEDDED_DATABASE + ".") || name.equals(KEY_FILE)) && Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS);
    }

    /** The embedded database's file name before H2's suffixes ({@code .mv.db}, {@code .trace.db}, …). */
    static final String EMBEDDED_DATABASE = "bridge";
    /** The file of the key that seals secrets. */
    static final String KEY_FILE = "secrets.key";

    private static void narrow(Path path, Set<PosixFilePermission> wanted) throws IOException {
        Set<PosixFilePermission> now;
        try {
            now = Files.getPosixFilePermissions(path, LinkOption.NOFOLLOW_LINKS);
        } catch (UnsupportedOperationException notPosix) {
            return;
        }
        if (!wanted.containsAll(now) || !now.containsAll(wanted)) {
            Files.setPosixFilePermissions(path, wanted);
            if (!wanted.containsAll(now)) {
                LOG.infof("Made %s private to the bridge's user (it was %s)", path, PosixFilePermissions.toString(now));
            }
        }
    }
}
