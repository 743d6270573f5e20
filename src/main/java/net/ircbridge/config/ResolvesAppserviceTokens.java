package net.ircbridge.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.NoSuchElementException;

/** Finds the appservice tokens: from the configuration if set there, otherwise from the registration file. */
public final class ResolvesAppserviceTokens {

    private ResolvesAppserviceTokens() {
    }

    /**
     * @param baseDirectory the directory relative paths in the configuration are resolved against
     * @throws NoSuchElementException with a one-line message naming the key when a token cannot be found
     */
    public static AppserviceTokens resolve(AppserviceConfig config, Path baseDirectory) {
        if (config.asToken().isPresent() && config.hsToken().isPresent()) {
            return new AppserviceTokens(config.asToken().get(), config.hsToken().get());
        }
        Path file = baseDirectory.resolve(config.registration());
        if (!Files.isRegularFile(file)) {
            throw new NoSuchElementException("appservice.registration: " + file + " does not exist; run generate-registration"
                    + " (or set appservice.as-token and appservice.hs-token)");
        }
        Registration registration;
        try {
            registration = Registration.read(file);
        } catch (RuntimeException e) {
            throw new NoSuchElementException("appservice.registration: " + file + " is not a registration file: " + e.getMessage());
        }
        String as = config.asToken().orElse(registration.asToken());
        String hs = config.hsToken().orElse(registration.hsToken());
        if (as == null || as.isBlank() || hs == null || hs.isBlank()) {
            throw new NoSuchElementException("appservice.registration: " + file + " has no as_token or hs_token");
        }
        return new AppserviceTokens(as, hs);
    }

    /** The two shared secrets between the bridge and the homeserver; never logged. */
    public record AppserviceTokens(String asToken, String hsToken) {
        @Override
        public String toString() {
            return "AppserviceTokens[hidden]";
        }
    }
}
