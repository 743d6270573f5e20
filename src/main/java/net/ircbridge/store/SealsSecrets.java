package net.ircbridge.store;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Seals secrets the bridge must keep but never show (users' IRC passwords) with AES-256-GCM, so that a copy of the
 * database, or a backup of it, does not give them away. The key is a file of its own ({@code secrets.key} in the
 * data directory, readable by its owner only), made on first use. Whoever has both the key and the database has
 * the secrets: this protects the database, not the machine.
 */
public final class SealsSecrets {

    private static final int IV_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final SecretKeySpec key;

    private SealsSecrets(byte[] key) {
        this.key = new SecretKeySpec(key, "AES");
    }

    /** With the key in this file, made (32 random bytes, owner-only) if there is none. */
    public static SealsSecrets withKeyFile(Path file) {
        try {
            if (!Files.exists(file)) {
                byte[] fresh = new byte[32];
                RANDOM.nextBytes(fresh);
                KeepsTheDataDirectoryPrivate.directory(file.toAbsolutePath().getParent());
                try {
                    Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                    Files.write(file, fresh);
                } catch (UnsupportedOperationException notPosix) {
                    Files.write(file, fresh);
                } catch (FileAlreadyExistsException another) {
                    // made meanwhile by someone else: read theirs
                }
            }
            // A key made by an earlier version, or copied in, may be readable by others.
            KeepsTheDataDirectoryPrivate.file(file);
            byte[] key = Files.readAllBytes(file);
            if (key.length != 32) {
                throw new StoreException(file + " is not a key of this bridge (32 bytes expected, " + key.length + " found)", null);
            }
            return new SealsSecrets(key);
        } catch (IOException e) {
            throw new StoreException("cannot read or make the key file " + file + ": " + e.getMessage(), e);
        }
    }

    /** Base64 of a fresh IV and the ciphertext with its tag. */
    public String seal(String secret) {
        try {
            byte[] iv = new byte[IV_BYTES];
            RANDOM.nextBytes(iv);
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, iv));
            byte[] sealed = cipher.doFinal(secret.getBytes(StandardCharsets.UTF_8));
            return Base64.getEncoder().encodeToString(ByteBuffer.allocate(iv.length + sealed.length).put(iv).put(sealed).array());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM is not available", e);
        }
    }

    /** The secret, or empty when it was sealed with another key (the key file was replaced) or is damaged. */
    public Optional<String> open(String sealed) {
        try {
            byte[] all = Base64.getDecoder().decode(sealed);
            if (all.length <= IV_BYTES) {
                return Optional.empty();
            }
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            cipher.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, all, 0, IV_BYTES));
            return Optional.of(new String(cipher.doFinal(all, IV_BYTES, all.length - IV_BYTES), StandardCharsets.UTF_8));
        } catch (IllegalArgumentException | GeneralSecurityException e) {
            return Optional.empty();
        }
    }
}
