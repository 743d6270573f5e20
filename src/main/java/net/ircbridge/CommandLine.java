package net.ircbridge;

import java.nio.file.Path;

/** The parsed command line. */
record CommandLine(Command command, Path config, Path output, boolean help) {

    enum Command {
        RUN, GENERATE_REGISTRATION
    }

    static final String USAGE = """
            usage: irc-bridge [-c|--config config.yaml]
                   irc-bridge generate-registration [-c|--config config.yaml] [-o|--output registration.yaml]
            The registration goes to -o, or else where appservice.registration says (relative to the configuration).
            Runs the IRC bridge, or writes the registration file the homeserver needs.
            The configuration file defaults to config.yaml; config.example.yaml documents every key.""";

    static CommandLine parse(String... args) {
        Command command = Command.RUN;
        Path config = Path.of("config.yaml");
        Path output = null;
        boolean help = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            switch (arg) {
                case "generate-registration" -> command = Command.GENERATE_REGISTRATION;
                case "-c", "--config" -> config = Path.of(value(args, ++i, arg));
                case "-o", "--output" -> output = Path.of(value(args, ++i, arg));
                case "-h", "--help" -> help = true;
                default -> {
                    if (arg.startsWith("--config=")) {
                        config = Path.of(arg.substring("--config=".length()));
                    } else if (arg.startsWith("--output=")) {
                        output = Path.of(arg.substring("--output=".length()));
                    } else {
                        throw new IllegalArgumentException("unknown argument '" + arg + "'");
                    }
                }
            }
        }
        return new CommandLine(command, config, output, help);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }
}
