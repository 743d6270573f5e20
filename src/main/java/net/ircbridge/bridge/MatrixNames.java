package net.ircbridge.bridge;

import jakarta.enterprise.context.ApplicationScoped;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.ircbridge.config.AppserviceConfig;
import net.ircbridge.config.HomeserverConfig;
import net.ircbridge.config.IdTemplate;
import net.ircbridge.config.IrcConfig;
import net.ircbridge.config.Networks;

/**
 * Names IRC things in Matrix: the user id of an IRC nick (a ghost) and the alias of a channel, from the
 * templates, and back. Nicks and channels are case-insensitive on IRC, so they are folded (RFC 1459 case mapping,
 * the widest one, so that the id stays the same whatever a server announces) before they are escaped into the
 * characters a Matrix localpart may contain: a-z, 0-9 and {@code ._-/+} stay, every other byte becomes
 * {@code =xx}.
 */
@ApplicationScoped
public class MatrixNames {

    private final IdTemplate userTemplate;
    private final IdTemplate aliasTemplate;
    private final String domain;
    private final String botUserId;
    private final Pattern userPattern;
    private final Pattern aliasPattern;

    @jakarta.inject.Inject
    public MatrixNames(AppserviceConfig appservice, HomeserverConfig homeserver, Networks networks) {
        this(appservice.userIdTemplate(), appservice.aliasTemplate(), homeserver.domain(),
                networks.all().stream().map(IrcConfig.Network::id).toList(), "@" + appservice.botLocalpart() + ":" + homeserver.domain());
    }

    MatrixNames(String userTemplate, String aliasTemplate, String domain, java.util.List<String> networkIds, String botUserId) {
        this.botUserId = botUserId;
        this.userTemplate = new IdTemplate(userTemplate);
        this.aliasTemplate = new IdTemplate(aliasTemplate);
        this.domain = domain;
        String networks = networkIds.stream().map(IdTemplate::escape)
                .collect(java.util.stream.Collectors.joining("|", "(?<network>", ")"));
        String d = IdTemplate.escape(domain);
        this.userPattern = Pattern.compile(this.userTemplate.toRegex(
                Map.of("network", networks, "nick", "(?<name>" + IdTemplate.LOCALPART_CHARS + ")", "domain", d)));
        this.aliasPattern = Pattern.compile(this.aliasTemplate.toRegex(
                Map.of("network", networks, "channel", "(?<name>" + IdTemplate.LOCALPART_CHARS + ")", "domain", d)));
    }

    /**
     * Whether a Matrix user id is the bridge's own (the bot, or a ghost of an IRC user) rather than a person's: what
     * the bridge hears from itself is never bridged back. Null is nobody's.
     */
    public boolean isBridgeUser(String userId) {
        return userId != null && (userId.equals(botUserId) || parseGhost(userId).isPresent());
    }

    /** The Matrix user id of an IRC nick on a network. */
    public String ghostUserId(String network, String nick) {
        return userTemplate.fill(Map.of("network", network, "nick", escape(fold(nick)), "domain", domain));
    }

    /** The alias of a channel on a network. */
    public String channelAlias(String network, String channel) {
        String name = channel.startsWith("#") ? channel.substring(1) : channel;
        return aliasTemplate.fill(Map.of("network", network, "channel", escape(fold(name)), "domain", domain));
    }

    /** The network and (folded) nick behind a ghost's user id, if it is one. */
    public Optional<IrcName> parseGhost(String userId) {
        // Only the id the template makes counts: '=41lice' also unescapes to 'Alice' but is not Alice's ghost.
        return parse(userPattern, userId).filter(n -> ghostUserId(n.network(), n.name()).equals(userId));
    }

    /** The network and (folded) channel behind an alias, if it is one of the bridge's. */
    public Optional<IrcName> parseAlias(String alias) {
        return parse(aliasPattern, alias)
                .map(n -> new IrcName(n.network(), "&+!".indexOf(n.name().isEmpty() ? ' ' : n.name().charAt(0)) >= 0
                        ? n.name() : "#" + n.name()))
                .filter(n -> channelAlias(n.network(), n.name()).equals(alias));
    }

    private static Optional<IrcName> parse(Pattern pattern, String id) {
        Matcher m = pattern.matcher(id);
        if (!m.matches()) {
            return Optional.empty();
        }
        return unescape(m.group("name")).map(name -> new IrcName(m.group("network"), name));
    }

    /** A name on an IRC network: a nick, or a channel with its '#'. */
    public record IrcName(String network, String name) {
    }

    /** RFC 1459 case folding: upper-case letters and []\~ become lower-case and {}|^. */
    public static String fold(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char c : s.toCharArray()) {
            out.append(switch (c) {
                case '[' -> '{';
                case ']' -> '}';
                case '\\' -> '|';
                case '~' -> '^';
                default -> c < 128 ? Character.toLowerCase(c) : c;
            });
        }
        return out.toString();
    }

    static String escape(String s) {
        StringBuilder out = new StringBuilder();
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            char c = (char) (b & 0xff);
            if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || "._-/+".indexOf(c) >= 0) {
                out.append(c);
            } else {
                out.append('=').append(String.format("%02x", b & 0xff));
            }
        }
        return out.toString();
    }

    static Optional<String> unescape(String s) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '=') {
                if (i + 2 >= s.length()) {
                    return Optional.empty();
                }
                try {
                    out.write(Integer.parseInt(s.substring(i + 1, i + 3), 16));
                } catch (RuntimeException e) {
                    return Optional.empty();
                }
                i += 2;
            } else {
                out.write(c);
            }
        }
        return Optional.of(out.toString(StandardCharsets.UTF_8));
    }
}
