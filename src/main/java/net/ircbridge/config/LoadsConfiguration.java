package net.ircbridge.config;

import io.smallrye.config.ConfigValidationException;
import io.smallrye.config.SmallRyeConfig;
import io.smallrye.config.SmallRyeConfigBuilder;
import io.smallrye.config.source.yaml.YamlConfigSource;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import io.smallrye.config.PropertiesConfigSource;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import org.eclipse.microprofile.config.spi.ConfigSource;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the configuration file the way Quarkus will, before Quarkus starts, so that an invalid
 * configuration stops start-up with one line per problem instead of a stack trace.
 */
public final class LoadsConfiguration {

    private LoadsConfiguration() {
    }

    /**
     * Loads and checks the configuration.
     *
     * @param file the YAML file named on the command line
     * @param needTokens whether the tokens must be resolvable (running the bridge) or not (generating them)
     */
    public static Result load(Path file, boolean needTokens) {
        if (!Files.isRegularFile(file)) {
            return Result.failed(List.of("config: file " + file + " does not exist (start from config.example.yaml)"));
        }
        SmallRyeConfig config;
        List<String> unknown = List.of();
        try {
            ConfigSource yaml = withoutEmptyValues(new YamlConfigSource(file.toUri().toURL()));
            unknown = unknownKeys(yaml);
            config = new SmallRyeConfigBuilder()
                    .withSources(yaml)
                    .addDefaultSources()
                    // Quarkus's own reading of durations ("30d", "12h" as well as ISO-8601), as at run time.
                    .withConverter(java.time.Duration.class, 200, new io.quarkus.runtime.configuration.DurationConverter())
                    .withMapping(HomeserverConfig.class)
                    .withMapping(AppserviceConfig.class)
                    .withMapping(DatabaseConfig.class)
                    .withMapping(BridgeConfig.class)
                    .withMapping(IrcConfig.class)
                    .withMapping(TextsConfig.class)
                    .withMapping(RelayConfig.class)
                    .build();
        } catch (ConfigValidationException e) {
            List<String> problems = new ArrayList<>(unknown);
            for (int i = 0; i < e.getProblemCount(); i++) {
                problems.add(cleanMessage(e.getProblem(i).getMessage()));
            }
            return Result.failed(problems);
        } catch (IOException | RuntimeException e) {
            return Result.failed(List.of("config: " + file + " cannot be read: " + cleanMessage(rootMessage(e))));
        }
        Configuration configuration = new Configuration(
                config.getConfigMapping(HomeserverConfig.class),
                config.getConfigMapping(AppserviceConfig.class),
                config.getConfigMapping(DatabaseConfig.class),
                config.getConfigMapping(BridgeConfig.class),
                config.getConfigMapping(IrcConfig.class),
                config.getConfigMapping(RelayConfig.class));
        List<String> problems = new ArrayList<>(unknown);
        problems.addAll(ChecksConfiguration.problems(configuration, file.toAbsolutePath().getParent()));
        if (needTokens && problems.isEmpty()) {
            try {
                ResolvesAppserviceTokens.resolve(configuration.appservice(), file.toAbsolutePath().getParent());
            } catch (NoSuchElementException e) {
                problems.add(e.getMessage());
            }
        }
        return problems.isEmpty() ? new Result(configuration, List.of()) : Result.failed(problems);
    }

    private static final List<Class<?>> MAPPINGS = List.of(HomeserverConfig.class, AppserviceConfig.class,
            DatabaseConfig.class, BridgeConfig.class, IrcConfig.class, TextsConfig.class, RelayConfig.class);

    /** Keys of the file that no mapping defines: misspelt, or in the wrong section. Quarkus's own keys are allowed. */
    private static List<String> unknownKeys(ConfigSource yaml) {
        KnownKeys known = new KnownKeys(MAPPINGS);
        return yaml.getPropertyNames().stream()
                .filter(k -> !k.startsWith("quarkus.") && !known.contains(k))
                .sorted()
                .map(k -> k + ": unknown key (misspelt, or in the wrong section?)")
                .toList();
    }

    /**
     * An empty YAML list ({@code channels: []}) reads as an empty value, which SmallRye takes for an unknown key
     * when the list holds groups; an empty value means "not set", so it is left out.
     */
    private static ConfigSource withoutEmptyValues(ConfigSource yaml) {
        Map<String, String> properties = new HashMap<>();
        yaml.getProperties().forEach((k, v) -> {
            if (v != null && !v.isEmpty()) {
                properties.put(k, v);
            }
        });
        return new PropertiesConfigSource(properties, yaml.getName(), yaml.getOrdinal());
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null) {
            t = t.getCause();
        }
        return String.valueOf(t.getMessage());
    }

    private static final Pattern REQUIRED = Pattern.compile(".*The config property (\\S+) is required.*");
    private static final Pattern CONVERSION = Pattern.compile(
            ".*The config property (\\S+) with the config value \"(.*?)\" threw an Exception whilst being converted(?: SRCFG\\d+:)? ?(.*)");
    private static final Pattern UNKNOWN = Pattern.compile("(?:.*: )?(\\S+) in \\S+ does not map to any root.*");

    /** Turns SmallRye's messages into "key: what is wrong". */
    static String cleanMessage(String message) {
        String m = message.lines().findFirst().orElse("");
        Matcher matcher;
        if ((matcher = REQUIRED.matcher(m)).matches()) {
            return matcher.group(1) + ": missing; this key is required";
        }
        if ((matcher = CONVERSION.matcher(m)).matches()) {
            return matcher.group(1) + ": '" + matcher.group(2) + "' is not valid (" + matcher.group(3).trim() + ")";
        }
        if ((matcher = UNKNOWN.matcher(m)).matches()) {
            return matcher.group(1) + ": unknown key (misspelt, or in the wrong section?)";
        }
        return m.replaceFirst("^[a-zA-Z.]+(Exception|Error): ", "").replaceFirst("^SRCFG\\d+: ", "");
    }

    /** All sections of the configuration. */
    public record Configuration(HomeserverConfig homeserver, AppserviceConfig appservice, DatabaseConfig database,
            BridgeConfig bridge, IrcConfig irc, RelayConfig relay) {
    }

    /** The configuration, or the problems that make it unusable (one line each, naming the key). */
    public record Result(Configuration configuration, List<String> problems) {
        static Result failed(List<String> problems) {
            return new Result(null, List.copyOf(problems));
        }

        public boolean ok() {
            return problems.isEmpty();
        }
    }
}
