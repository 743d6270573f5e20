package net.ircbridge.config;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Matrix id template such as {@code @irc_{network}_{nick}:{domain}}: filled in to make ids, and turned into
 * the anchored regular expression the registration file needs for the namespace.
 */
public record IdTemplate(String template) {

    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z]+)}");

    /** Characters an escaped nick or channel may contain in a localpart (the Matrix user id grammar). */
    public static final String LOCALPART_CHARS = "[a-z0-9._=\\-/+]+";

    /** Replaces every {name} by its value; unknown placeholders stay as they are. */
    public String fill(Map<String, String> values) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = values.get(m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(value == null ? m.group() : value));
        }
        m.appendTail(out);
        return out.toString();
    }

    /**
     * The regular expression matching every id the template can make, anchored at both ends because Synapse
     * matches namespaces with Python's {@code re.match}, which anchors only at the start.
     *
     * @param placeholderRegex the regular expression each placeholder stands for
     */
    public String toRegex(Map<String, String> placeholderRegex) {
        Matcher m = PLACEHOLDER.matcher(template);
        StringBuilder out = new StringBuilder("^");
        int last = 0;
        while (m.find()) {
            out.append(escape(template.substring(last, m.start())));
            String regex = placeholderRegex.get(m.group(1));
            out.append(regex == null ? escape(m.group()) : regex);
            last = m.end();
        }
        out.append(escape(template.substring(last))).append('$');
        return out.toString();
    }

    /** Whether the template names this placeholder. */
    public boolean has(String placeholder) {
        return template.contains("{" + placeholder + "}");
    }

    /** Escapes text for a regular expression understood alike by Java and Python. */
    public static String escape(String literal) {
        StringBuilder out = new StringBuilder();
        for (char c : literal.toCharArray()) {
            if ("\\.^$|?*+()[]{}".indexOf(c) >= 0) {
                out.append('\\');
            }
            out.append(c);
        }
        return out.toString();
    }
}
