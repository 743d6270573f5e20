package net.ircbridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import net.ircbridge.config.Registration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The bridge's command line as an operator uses it: bad configurations and registration generation. */
class CommandLineIT {

    @TempDir
    Path dir;

    @Test
    void anInvalidConfigurationStopsStartUpNamingEachBadKey() throws Exception {
        Path config = dir.resolve("config.yaml");
        Files.writeString(config, Files.readString(Path.of("config.example.yaml"))
                .replace("url: http://localhost:8008", "url: localhost:8008")
                .replace("  domain: localhost", "  domain: localhost\n  domian: typo"));
        BridgeProcess run = BridgeProcess.runToExit("-c", config.toString());
        assertEquals(2, run.exitCode(), run.output()::toString);
        String out = String.join("\n", run.output());
        assertTrue(out.contains("homeserver.url: 'localhost:8008' is not an http(s) URL"), out);
        assertTrue(out.contains("homeserver.domian: unknown key"), out);
        assertFalse(out.contains("\tat "), "no stack trace:\n" + out);
    }

    @Test
    void aValueOfTheWrongTypeIsNamedWithItsKey() throws Exception {
        Path config = dir.resolve("config.yaml");
        Files.writeString(config, Files.readString(Path.of("config.example.yaml")).replace("port: 6667", "port: sixsixsixseven"));
        BridgeProcess run = BridgeProcess.runToExit("-c", config.toString());
        assertEquals(2, run.exitCode(), run.output()::toString);
        assertTrue(String.join("\n", run.output()).contains("irc.networks[0].port: 'sixsixsixseven' is not valid"),
                run.output()::toString);
    }

    @Test
    void aMissingConfigurationFileIsNamed() {
        BridgeProcess run = BridgeProcess.runToExit("-c", dir.resolve("nope.yaml").toString());
        assertEquals(2, run.exitCode());
        assertTrue(String.join("\n", run.output()).contains("nope.yaml does not exist"), run.output()::toString);
    }

    @Test
    void environmentVariablesOverrideTheFile() throws Exception {
        Path config = dir.resolve("config.yaml");
        Files.writeString(config, Files.readString(Path.of("config.example.yaml")));
        ProcessBuilder pb = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar",
                BridgeProcess.jar().toString(), "generate-registration", "-c", config.toString(), "-o",
                dir.resolve("r.yaml").toString()).redirectErrorStream(true);
        pb.environment().put("APPSERVICE_URL", "http://bridge.internal:1234");
        pb.environment().put("APPSERVICE_AS_TOKEN", "from-env-as");
        pb.environment().put("APPSERVICE_HS_TOKEN", "from-env-hs");
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertEquals(0, p.waitFor(), out);
        Registration r = Registration.read(dir.resolve("r.yaml"));
        assertEquals("http://bridge.internal:1234", r.url());
        assertEquals("from-env-as", r.asToken());
        assertEquals("from-env-hs", r.hsToken());
    }

    @Test
    void generateRegistrationWritesStableTokens() {
        Path config = dir.resolve("config.yaml");
        Path out = dir.resolve("registration.yaml");
        try {
            Files.writeString(config, Files.readString(Path.of("config.example.yaml")));
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        assertEquals(0, BridgeProcess.runToExit("generate-registration", "-c", config.toString(), "-o", out.toString()).exitCode());
        Registration first = Registration.read(out);
        assertEquals(0, BridgeProcess.runToExit("generate-registration", "-c", config.toString(), "-o", out.toString()).exitCode());
        Registration second = Registration.read(out);
        assertEquals(first.asToken(), second.asToken());
        assertEquals(first.hsToken(), second.hsToken());
        assertEquals(43, first.asToken().length());
    }
}
