package net.ircbridge.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Writes the registration file for a configuration. Tokens already in an existing file (or in the configuration)
 * are kept, so regenerating after a configuration change doesn't break a homeserver that has loaded the old file.
 */
public final class GeneratesRegistration {

    private static final SecureRandom RANDOM = new SecureRandom();

    private GeneratesRegistration() {
    }

    /** Builds the registration; existing tokens come from {@code existing} when it is a readable registration. */
    public static Registration forConfiguration(LoadsConfiguration.Configuration config, Path existing) {
        String asToken = config.appservice().asToken().orElse(null);
        String hsToken = config.appservice().hsToken().orElse(null);
        if (existing != null && Files.isRegularFile(existing)) {
            Registration old = Registration.read(existing);
            asToken = asToken != null ? asToken : old.asToken();
            hsToken = hsToken != null ? hsToken : old.hsToken();
        }
        String networks = config.irc().networks().stream().map(n -> IdTemplate.escape(n.id()))
                .collect(Collectors.joining("|", "(?:", ")"));
        String domain = IdTemplate.escape(config.homeserver().domain());
        String userRegex = new IdTemplate(config.appservice().userIdTemplate())
                .toRegex(Map.of("network", networks, "nick", IdTemplate.LOCALPART_CHARS, "domain", domain));
        String aliasRegex = new IdTemplate(config.appservice().aliasTemplate())
                .toRegex(Map.of("network", networks, "channel", IdTemplate.LOCALPART_CHARS, "domain", domain));
        return new Registration(config.appservice().id(), config.appservice().url(),
                asToken != null ? asToken : newToken(), hsToken != null ? hsToken : newToken(),
                config.appservice().botLocalpart(), List.of(userRegex), List.of(aliasRegex));
    }

    /** Generates and writes the registration to {@code output}, keeping the tokens it already has. */
    public static Registration write(LoadsConfiguration.Configuration config, Path output) throws IOException {
        Registration registration = forConfiguration(config, output);
        Path parent = output.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempFile(parent, ".registration", ".yaml");
        Files.writeString(tmp, registration.toYaml());
        if (Files.exists(output)) {
            // Keep what the operator set (the homeserver may need to read it as another user).
            try {
                Files.setPosixFilePermissions(tmp, Files.getPosixFilePermissions(output));
            } catch (UnsupportedOperationException e) {
                // Not a POSIX file system: nothing to keep.
            }
        }
        Files.move(tmp, output, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return registration;
    }

    private static String newToken() {
        byte[] bytes = new byte[32];
        RANDOM.nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
