package net.ircbridge.config;

import static net.ircbridge.config.MinimalConfig.VALID;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LoadsConfigurationTest {

    @TempDir
    Path dir;

    private LoadsConfiguration.Result load(String yaml, boolean needTokens) throws IOException {
        return MinimalConfig.load(dir, yaml, needTokens);
    }

    @Test
    void theExampleConfigurationIsValid() {
        LoadsConfiguration.Result result = LoadsConfiguration.load(Path.of("config.example.yaml"), false);
        assertEquals(List.of(), result.problems());
        assertEquals("example", result.configuration().irc().networks().get(0).id());
    }

    @Test
    void acceptsAMinimalConfigurationWithDefaults() throws IOException {
        LoadsConfiguration.Result result = load(VALID, true);
        assertEquals(List.of(), result.problems());
        assertEquals(9898, result.configuration().appservice().port());
        assertEquals("@irc_{network}_{nick}:{domain}", result.configuration().appservice().userIdTemplate());
        assertEquals(List.of(), result.configuration().irc().networks().get(0).channels());
    }

    @Test
    void refusesANegativeGhostLimitAndAnEmptyQueueOfIrcLines() throws IOException {
        List<String> problems = load(VALID.replace("      host: 127.0.0.1\n", "      host: 127.0.0.1\n      max-mirrored-members: -1\n")
                + "relay:\n  max-queued-irc-lines: 0\n", false).problems();
        assertEquals(List.of("irc.networks[0].max-mirrored-members: must not be negative",
                "relay.max-queued-irc-lines: must be at least 1"), problems);
    }

    @Test
    void refusesARoomBacklogThatIsNotBelowTheMostQueuedIrcLines() throws IOException {
        List<String> problems = load(VALID + "relay:\n  max-queued-irc-lines: 1000\n  max-room-backlog: 1000\n", false).problems();
        assertEquals(List.of("relay.max-room-backlog: must be less than relay.max-queued-irc-lines (1000), past which lines are"
                + " dropped; raise max-queued-irc-lines (default 20000) or lower max-room-backlog"), problems);
        assertEquals(List.of(), load(VALID + "relay:\n  max-queued-irc-lines: 1000\n  max-room-backlog: 500\n", false).problems());
        assertEquals(List.of("relay.max-room-backlog: must be at least 1"), load(VALID + "relay:\n  max-room-backlog: 0\n", false)
                .problems());
    }

    @Test
    void anOlderConfigurationsMaxQueuedIrcLinesStillStartsWithHalfOfItAsTheBacklog() throws IOException {
        // Configurations from before max-room-backlog had max-queued-irc-lines: 1000 in the example.
        var loaded = load(VALID + "relay:\n  max-queued-irc-lines: 1000\n", false);
        assertEquals(List.of(), loaded.problems());
    }

    @Test
    void aBotAccountNeedsItsPassword() throws IOException {
        List<String> problems = load(VALID.replace("      host: 127.0.0.1\n", "      host: 127.0.0.1\n      bot-account: bridge\n"), false)
                .problems();
        assertEquals(List.of("irc.networks[0].bot-password: must be set with bot-account"), problems);
    }

    @Test
    void namesEachBadKeyOnItsOwnLine() throws IOException {
        LoadsConfiguration.Result result = load("""
                homeserver:
                  url: not-a-url
                  domain: localhost
                appservice:
                  url: http://127.0.0.1:9898
                  port: 70000
                  user-id-template: "@irc_{nick}"
                irc:
                  networks:
                    - id: Bad_Id
                      host: h
                      channels:
                        - channel: nochan
                          room: "!r:localhost"
                """, false);
        List<String> problems = result.problems();
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("homeserver.url: ")), problems::toString);
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("appservice.port: ")), problems::toString);
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("appservice.user-id-template: ") && p.contains("{network}")),
                problems::toString);
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("irc.networks[0].id: ")), problems::toString);
        assertTrue(problems.stream().anyMatch(p -> p.startsWith("irc.networks[0].channels[0].channel: ")), problems::toString);
    }

    @Test
    void reportsMissingAndMistypedValuesByKey() throws IOException {
        LoadsConfiguration.Result result = load("""
                homeserver:
                  url: http://localhost:8008
                appservice:
                  url: http://127.0.0.1:9898
                  port: abc
                irc:
                  networks:
                    - id: a
                      host: h
                """, false);
        assertTrue(result.problems().contains("homeserver.domain: missing; this key is required"), result.problems()::toString);
        assertTrue(result.problems().stream().anyMatch(p -> p.startsWith("appservice.port: 'abc' is not valid")),
                result.problems()::toString);
    }

    @Test
    void reportsMisspeltKeys() throws IOException {
        LoadsConfiguration.Result result = load(VALID.replace("domain: localhost", "domain: localhost\n  domian: x"), false);
        assertEquals(List.of("homeserver.domian: unknown key (misspelt, or in the wrong section?)"), result.problems());
    }

    @Test
    void saysWhenTheRegistrationFileIsMissing() throws IOException {
        LoadsConfiguration.Result result = load(VALID.replace("  as-token: a\n  hs-token: h\n", ""), true);
        assertEquals(1, result.problems().size());
        assertTrue(result.problems().get(0).startsWith("appservice.registration: "), result.problems()::toString);
        assertTrue(result.problems().get(0).contains("generate-registration"));
    }

    @Test
    void readsIdleTimeoutsAsQuarkusDoes() throws IOException {
        LoadsConfiguration.Result days = load(VALID.replace("- id: example", "- id: example\n      idle-timeout: 30d"), false);
        assertEquals(java.util.List.of(), days.problems());
        assertEquals(java.time.Duration.ofDays(30), days.configuration().irc().networks().get(0).idleTimeout().orElseThrow());
        LoadsConfiguration.Result iso = load(VALID.replace("- id: example", "- id: example\n      idle-timeout: PT12H"), false);
        assertEquals(java.time.Duration.ofHours(12), iso.configuration().irc().networks().get(0).idleTimeout().orElseThrow());
    }
}
