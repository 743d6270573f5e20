package net.ircbridge;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import net.ircbridge.config.ConfigFiles;
import net.ircbridge.config.GeneratesRegistration;
import net.ircbridge.config.LoadsConfiguration;
import net.ircbridge.config.Registration;

/**
 * The command line. {@code [-c config.yaml]} runs the bridge; {@code generate-registration -c config.yaml
 * -o registration.yaml} writes the registration file for the homeserver. The configuration is read and checked
 * here, before Quarkus starts, so that a bad one is reported as one line per problem and the process exits.
 */
@QuarkusMain
public final class Main {

    /** Exit code for a bad command line or configuration. */
    static final int EXIT_CONFIG = 2;

    private Main() {
    }

    public static void main(String... args) {
        CommandLine cli;
        try {
            cli = CommandLine.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("error: " + e.getMessage());
            System.err.println(CommandLine.USAGE);
            System.exit(EXIT_CONFIG);
            return;
        }
        if (cli.help()) {
            System.out.println(CommandLine.USAGE);
            return;
        }
        boolean generating = cli.command() == CommandLine.Command.GENERATE_REGISTRATION;
        LoadsConfiguration.Result result = LoadsConfiguration.load(cli.config(), !generating);
        if (!result.ok()) {
            reportProblems(System.err, cli.config(), result);
            System.exit(EXIT_CONFIG);
            return;
        }
        if (generating) {
            generateRegistration(cli, result.configuration());
            return;
        }
        Path config = cli.config().toAbsolutePath();
        System.setProperty("quarkus.config.locations", config.toUri().toString());
        System.setProperty(ConfigFiles.DIRECTORY_PROPERTY, config.getParent().toString());
        Quarkus.run(BridgeApplication.class, Main::exit, args);
    }

    /**
     * Ends the process. A failure to start is reported as its causes, one line each, not as a stack trace
     * (Quarkus's own report of it is switched off in application.properties).
     */
    private static void exit(int code, Throwable failure) {
        if (failure != null) {
            System.err.println("The bridge could not start:");
            java.util.Set<String> seen = new java.util.LinkedHashSet<>();
            for (Throwable t = failure; t != null; t = t.getCause()) {
                if (t.getMessage() != null && !t.getMessage().startsWith("Failed to start quarkus")) {
                    seen.add(t.getMessage().lines().findFirst().orElse(""));
                }
            }
            seen.forEach(line -> System.err.println("  " + line));
            if (Boolean.getBoolean("bridge.debug")) {
                failure.printStackTrace();
            }
        }
        System.exit(failure != null && code == 0 ? 1 : code);
    }

    private static void reportProblems(PrintStream err, Path config, LoadsConfiguration.Result result) {
        err.println("The configuration in " + config + " has " + result.problems().size() + " problem"
                + (result.problems().size() == 1 ? "" : "s") + ":");
        result.problems().forEach(p -> err.println("  " + p));
    }

    private static void generateRegistration(CommandLine cli, LoadsConfiguration.Configuration configuration) {
        // By default the registration goes where the bridge will read its tokens from.
        Path output = cli.output() != null ? cli.output()
                : cli.config().toAbsolutePath().getParent().resolve(configuration.appservice().registration());
        try {
            boolean existed = java.nio.file.Files.exists(output);
            Registration registration = GeneratesRegistration.write(configuration, output);
            System.out.println("Wrote " + output + " for appservice '" + registration.id() + "' at "
                    + registration.url() + ". Add it to the homeserver (Synapse: app_service_config_files) and restart it."
                    + (existed ? "" : " The file holds secrets and only its owner can read it: let the homeserver read it."));
        } catch (IOException | RuntimeException e) {
            System.err.println("error: cannot write " + output + ": " + e.getMessage());
            System.exit(1);
        }
    }
}
