package net.ircbridge.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SealsSecretsTest {

    @TempDir
    Path dir;

    @Test
    void opensWhatItSealedAndSealsTheSameSecretDifferentlyEachTime() {
        SealsSecrets secrets = SealsSecrets.withKeyFile(dir.resolve("secrets.key"));
        String a = secrets.seal("hunter2 ünïcode");
        String b = secrets.seal("hunter2 ünïcode");
        assertNotEquals(a, b);
        assertEquals(Optional.of("hunter2 ünïcode"), secrets.open(a));
        // The same key file later (a restart) opens it too.
        assertEquals(Optional.of("hunter2 ünïcode"), SealsSecrets.withKeyFile(dir.resolve("secrets.key")).open(b));
    }

    @Test
    void makesAKeyOnlyItsOwnerCanRead() throws Exception {
        SealsSecrets.withKeyFile(dir.resolve("secrets.key"));
        assertEquals(32, Files.size(dir.resolve("secrets.key")));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("secrets.key"))));
    }

    @Test
    void opensNothingSealedWithAnotherKeyOrDamaged() {
        String sealed = SealsSecrets.withKeyFile(dir.resolve("one.key")).seal("secret");
        SealsSecrets other = SealsSecrets.withKeyFile(dir.resolve("two.key"));
        assertTrue(other.open(sealed).isEmpty());
        assertTrue(other.open("not base64 !").isEmpty());
        assertTrue(other.open("AAAA").isEmpty());
    }
}
