package net.ircbridge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GeneratesRegistrationTest {

    @TempDir
    Path dir;

    private LoadsConfiguration.Configuration example() {
        return LoadsConfiguration.load(Path.of("config.example.yaml"), false).configuration();
    }

    @Test
    void keepsTheTokensOfAnExistingRegistration() throws Exception {
        Path out = dir.resolve("registration.yaml");
        Registration first = GeneratesRegistration.write(example(), out);
        Registration second = GeneratesRegistration.write(example(), out);
        assertEquals(first.asToken(), second.asToken());
        assertEquals(first.hsToken(), second.hsToken());
        assertNotEquals(first.asToken(), first.hsToken());
        assertEquals(first, Registration.read(out));
    }

    @Test
    void namespacesAreAnchoredAndMatchOnlyTheTemplates() throws Exception {
        Registration r = GeneratesRegistration.write(example(), dir.resolve("r.yaml"));
        Pattern users = Pattern.compile(r.userRegexes().get(0));
        Pattern aliases = Pattern.compile(r.aliasRegexes().get(0));
        assertTrue(r.userRegexes().get(0).startsWith("^") && r.userRegexes().get(0).endsWith("$"));
        assertTrue(users.matcher("@irc_example_alice:localhost").matches());
        assertFalse(users.matcher("@irc_example_alice:localhost.evil").find());
        assertFalse(users.matcher("@irc_other_alice:localhost").matches());
        assertFalse(users.matcher("@alice:localhost").matches());
        assertTrue(aliases.matcher("#irc_example_chan:localhost").matches());
        assertFalse(aliases.matcher("#irc_example_chan:localhostx").find());
    }

    @Test
    void theCommittedExampleIsWhatTheExampleConfigurationProduces() throws Exception {
        Registration generated = GeneratesRegistration.write(example(), dir.resolve("r.yaml"));
        String expected = generated.toYaml().replace(generated.asToken(), "AS_TOKEN").replace(generated.hsToken(), "HS_TOKEN");
        String committed = Files.readString(Path.of("registration.example.yaml"));
        assertEquals(expected, committed.replaceAll("as_token: '[^']*'", "as_token: 'AS_TOKEN'")
                .replaceAll("hs_token: '[^']*'", "hs_token: 'HS_TOKEN'"));
    }
}
