package net.ircbridge.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.smallrye.config.ConfigMapping;
import java.util.List;
import org.junit.jupiter.api.Test;

class KnownKeysTest {

    @ConfigMapping(prefix = "sample")
    interface Sample {
        String notADirectChat();

        String servicesNick();

        List<String> admins();
    }

    @Test
    void spellsKeysAsSmallRyeReadsThemOneLetterWordsIncluded() {
        assertEquals("not-a-direct-chat", KnownKeys.kebab("notADirectChat"));
        KnownKeys keys = new KnownKeys(List.of(Sample.class));
        assertTrue(keys.contains("sample.not-a-direct-chat"));
        assertFalse(keys.contains("sample.not-adirect-chat"));
        assertTrue(keys.contains("sample.services-nick"));
        assertTrue(keys.contains("sample.admins[3]"));
    }
}
