package net.ircbridge.bridge;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashMap;
import java.util.Map;
import net.ircbridge.config.IdTemplate;
import net.ircbridge.config.TextsConfig;

/** Fills in the bridge's configurable texts. A "{reason}" that is empty takes its ": " with it. */
@ApplicationScoped
public class Texts {

    private final TextsConfig config;

    public Texts(TextsConfig config) {
        this.config = config;
    }

    public TextsConfig templates() {
        return config;
    }

    /** Fills a template; pairs are placeholder name, value. */
    public static String fill(String template, String... pairs) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            values.put(pairs[i], pairs[i + 1] == null ? "" : pairs[i + 1]);
        }
        String t = template;
        if (values.getOrDefault("reason", "").isEmpty()) {
            t = t.replace(": {reason}", "").replace("{reason}", "");
        }
        return new IdTemplate(t).fill(values).strip();
    }

    /**
     * Fills a template for an IRC line, as it is: nothing stripped, because IRC's formatting codes U+001E and U+001F
     * count as white space to {@link String#strip()}, and a line's leading spaces may be a code block's indentation.
     */
    public static String fillAsIs(String template, String... pairs) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            values.put(pairs[i], pairs[i + 1] == null ? "" : pairs[i + 1]);
        }
        return new IdTemplate(template).fill(values);
    }
}
