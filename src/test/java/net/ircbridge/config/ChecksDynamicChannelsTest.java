package net.ircbridge.config;

import static net.ircbridge.config.MinimalConfig.VALID;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The start-up checks of channel names, dynamic-channels and the ghost rate: one line per problem, naming the key. */
class ChecksDynamicChannelsTest {

    @TempDir
    Path dir;

    private List<String> problems(String yaml) throws IOException {
        return MinimalConfig.load(dir, yaml, false).problems();
    }

    @Test
    void theDefaultsPass() throws IOException {
        assertEquals(List.of(), problems(VALID));
    }

    @Test
    void refusesAConfiguredChannelWithAControlCharacterOrAComma() throws IOException {
        List<String> p = problems(VALID.replace("      channels: []\n", """
                      channels:
                        - channel: "#ok"
                          room: "!a:localhost"
                        - channel: "#bad\\u0000name"
                          room: "!b:localhost"
                        - channel: "#a,b"
                          room: "!c:localhost"
                """));
        assertEquals(2, p.size(), p::toString);
        assertEquals(true, p.get(0).startsWith("irc.networks[0].channels[1].channel: '#bad?name' is not an IRC channel name"), p::toString);
        assertEquals(true, p.get(1).startsWith("irc.networks[0].channels[2].channel: "), p::toString);
    }

    @Test
    void namesEachBadDynamicChannelsValue() throws IOException {
        List<String> p = problems(VALID.replace("      channels: []\n", """
                      channels: []
                      dynamic-channels:
                        allow: ["#ok-*", "#a b"]
                        deny: ["#x,y"]
                        max-rooms: -1
                        new-rooms-per-minute: 0
                """).replace("irc:\n", "bridge:\n  ghost-queries-per-minute: 0\nirc:\n"));
        assertEquals(List.of(
                "bridge.ghost-queries-per-minute: must be at least 1",
                "irc.networks[0].dynamic-channels.allow[1]: '#a b' is not a channel pattern (like #project-*: no space, comma or control character)",
                "irc.networks[0].dynamic-channels.deny[0]: '#x,y' is not a channel pattern (like #project-*: no space, comma or control character)",
                "irc.networks[0].dynamic-channels.max-rooms: must not be negative",
                "irc.networks[0].dynamic-channels.new-rooms-per-minute: must be at least 1 (set dynamic-channels.enabled: false for none)"), p);
    }
}
