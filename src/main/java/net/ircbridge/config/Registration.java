package net.ircbridge.config;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/** An appservice registration file, as the homeserver reads it. */
public record Registration(String id, String url, String asToken, String hsToken, String senderLocalpart,
        List<String> userRegexes, List<String> aliasRegexes) {

    /** Reads the parts of a registration file the bridge needs. */
    @SuppressWarnings("unchecked")
    public static Registration read(Path file) {
        Map<String, Object> yaml;
        try {
            yaml = new Yaml(new SafeConstructor(new LoaderOptions())).load(Files.readString(file));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (yaml == null) {
            throw new IllegalArgumentException("the file is empty");
        }
        Map<String, Object> namespaces = (Map<String, Object>) yaml.getOrDefault("namespaces", Map.of());
        return new Registration(str(yaml.get("id")), str(yaml.get("url")), str(yaml.get("as_token")),
                str(yaml.get("hs_token")), str(yaml.get("sender_localpart")),
                regexes(namespaces.get("users")), regexes(namespaces.get("aliases")));
    }

    @SuppressWarnings("unchecked")
    private static List<String> regexes(Object namespace) {
        if (!(namespace instanceof List<?> list)) {
            return List.of();
        }
        return list.stream().map(n -> str(((Map<String, Object>) n).get("regex"))).toList();
    }

    private static String str(Object o) {
        return o == null ? null : o.toString();
    }

    /** The registration as YAML, in a stable order so that regenerating it changes nothing but what changed. */
    public String toYaml() {
        StringBuilder y = new StringBuilder();
        y.append("# Appservice registration of the IRC bridge, written by generate-registration.\n");
        y.append("# Give this file to the homeserver (Synapse: app_service_config_files) and restart it.\n");
        y.append("id: ").append(quote(id)).append('\n');
        y.append("url: ").append(quote(url)).append('\n');
        y.append("as_token: ").append(quote(asToken)).append('\n');
        y.append("hs_token: ").append(quote(hsToken)).append('\n');
        y.append("sender_localpart: ").append(quote(senderLocalpart)).append('\n');
        y.append("namespaces:\n");
        appendNamespace(y, "users", userRegexes);
        appendNamespace(y, "aliases", aliasRegexes);
        y.append("  rooms: []\n");
        y.append("rate_limited: false\n");
        y.append("protocols:\n  - irc\n");
        // No receive_ephemeral: nothing in the bridge reads typing, receipts or presence, so the homeserver
        // need not send them. A registration that still asks for them works: the bridge ignores them.
        return y.toString();
    }

    private static void appendNamespace(StringBuilder y, String name, List<String> regexes) {
        y.append("  ").append(name).append(":\n");
        for (String regex : regexes) {
            y.append("    - exclusive: true\n");
            y.append("      regex: ").append(quote(regex)).append('\n');
        }
    }

    /** Single-quoted YAML scalar: backslashes stay literal, a quote is doubled. */
    private static String quote(String s) {
        return "'" + s.replace("'", "''") + "'";
    }

    @Override
    public String toString() {
        return "Registration[id=" + id + ", url=" + url + ", tokens hidden]";
    }
}
