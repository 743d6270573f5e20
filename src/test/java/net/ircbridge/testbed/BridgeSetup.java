package net.ircbridge.testbed;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import net.ircbridge.e2e.BridgeProcess;
import net.ircbridge.e2e.TestBridgeConfig;

/**
 * Prepares the bridge under test before the homeserver starts: Synapse reads the appservice registration only at
 * start-up. The registration is written by the bridge's own {@code generate-registration}, so the tests show that
 * Synapse accepts what the bridge generates.
 */
public final class BridgeSetup {

    private BridgeSetup() {
    }

    /**
     * Writes the bridge's appservice registration for {@code bed} and returns its path.
     *
     * @param bed the test bed, whose {@link TestBed#bridgePort()} the bridge will listen on
     * @return {@code bed.workDir()/registration.yaml}
     */
    static Path writeRegistration(TestBed bed) {
        Path registration = bed.workDir().resolve("registration.yaml");
        // The namespaces cover the hostile network too (HostileIrcServerIT); no bridge connects to the port given here.
        return generate(TestBridgeConfig.withHostileNetwork(TestBridgeConfig.yaml(bed, registration.toString(),
                TestBridgeConfig.embeddedDatabase(bed.workDir().resolve("unused-data")), "RegBot"), 9, "RegBot", ""), registration,
                bed.workDir().resolve("registration-config.yaml"));
    }

    /** The registration of {@link TestBed#unreachableRegistrationFile()}. */
    static Path writeUnreachableRegistration(TestBed bed) {
        Path registration = bed.workDir().resolve("unreachable-registration.yaml");
        return generate(TestBridgeConfig.unreachableYaml(bed, registration.toString(),
                TestBridgeConfig.embeddedDatabase(bed.workDir().resolve("unused-data-2"))), registration,
                bed.workDir().resolve("unreachable-config.yaml"));
    }

    private static Path generate(String yaml, Path registration, Path config) {
        try {
            Files.writeString(config, yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        BridgeProcess run = BridgeProcess.runToExit("generate-registration", "-c", config.toString(), "-o",
                registration.toString());
        if (run.exitCode() != 0) {
            throw new IllegalStateException("generate-registration failed: " + String.join("\n", run.output()));
        }
        return registration;
    }
}
