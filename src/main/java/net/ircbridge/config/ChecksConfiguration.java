package net.ircbridge.config;

import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/** The checks a configuration must pass before the bridge starts: one line per problem, naming the key. */
public final class ChecksConfiguration {

    private static final Pattern NETWORK_ID = Pattern.compile("[a-z0-9][a-z0-9.-]*");
    private static final Pattern LOCALPART = Pattern.compile("[a-z0-9._=/+-]+");
    private static final Pattern USER_ID = Pattern.compile("@[^:]+:.+");
    private static final Pattern DOMAIN = Pattern.compile("[A-Za-z0-9.-]+(:[0-9]{1,5})?|\\[[0-9A-Fa-f:.]+](:[0-9]{1,5})?");

    private ChecksConfiguration() {
    }

    /** Every problem found, or an empty list. */
    public static List<String> problems(LoadsConfiguration.Configuration c, Path baseDirectory) {
        List<String> p = new ArrayList<>();
        checkHttpUrl(p, "homeserver.url", c.homeserver().url());
        if (!DOMAIN.matcher(c.homeserver().domain()).matches()) {
            p.add("homeserver.domain: '" + c.homeserver().domain() + "' is not a server name (like example.org, without https://)");
        }

        AppserviceConfig as = c.appservice();
        if (as.id().isBlank()) {
            p.add("appservice.id: must not be empty");
        }
        checkPort(p, "appservice.port", as.port());
        checkHttpUrl(p, "appservice.url", as.url());
        if (!LOCALPART.matcher(as.botLocalpart()).matches()) {
            p.add("appservice.bot-localpart: '" + as.botLocalpart() + "' may contain only a-z, 0-9 and ._=/+-");
        }
        checkTemplate(p, "appservice.user-id-template", as.userIdTemplate(), "@", "nick");
        checkTemplate(p, "appservice.alias-template", as.aliasTemplate(), "#", "channel");
        if (as.asToken().isPresent() != as.hsToken().isPresent()) {
            p.add((as.asToken().isPresent() ? "appservice.hs-token" : "appservice.as-token")
                    + ": set both tokens or neither (then they come from the registration file)");
        }

        c.database().url().ifPresent(url -> {
            if (!url.startsWith("jdbc:postgresql:")) {
                p.add("database.url: '" + url + "' is not a PostgreSQL JDBC URL (jdbc:postgresql://host:5432/db); leave it empty for the embedded database");
            }
        });
        if (c.database().maxConnections() < 1) {
            p.add("database.max-connections: must be at least 1");
        }

        c.bridge().admins().orElse(List.of()).forEach(admin -> {
            if (!USER_ID.matcher(admin).matches()) {
                p.add("bridge.admins: '" + admin + "' is not a Matrix user id (@user:server)");
            }
        });

        if (c.bridge().ghostQueriesPerMinute() < 1) {
            p.add("bridge.ghost-queries-per-minute: must be at least 1");
        }

        List<IrcConfig.Network> networks = c.irc().networks();
        if (networks.isEmpty()) {
            p.add("irc.networks: at least one network is needed");
        }
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < networks.size(); i++) {
            IrcConfig.Network n = networks.get(i);
            String key = "irc.networks[" + i + "]";
            if (!NETWORK_ID.matcher(n.id()).matches()) {
                p.add(key + ".id: '" + n.id() + "' may contain only a-z, 0-9, '.' and '-'");
            } else if (!ids.add(n.id())) {
                p.add(key + ".id: '" + n.id() + "' is used by another network");
            }
            if (n.host().isBlank()) {
                p.add(key + ".host: must not be empty");
            }
            checkPort(p, key + ".port", n.port());
            if (n.botNick().isBlank() || n.botNick().matches(".*[\\s,:!@].*")) {
                p.add(key + ".bot-nick: '" + n.botNick() + "' is not a valid IRC nick");
            }
            if (n.botAccount().isPresent() != n.botPassword().isPresent()) {
                p.add(key + (n.botAccount().isPresent() ? ".bot-password: must be set with bot-account" : ".bot-account: must be set with bot-password"));
            }
            if (n.servicesServer().isPresent() && !n.servicesServer().get().matches("[A-Za-z0-9][A-Za-z0-9.-]*")) {
                p.add(key + ".services-server: '" + n.servicesServer().get() + "' is not a server name (like services.example.org)");
            }
            checkTls(p, key, n, baseDirectory);
            if (!n.nickTemplate().contains("{displayname}") && !n.nickTemplate().contains("{localpart}")) {
                p.add(key + ".nick-template: must contain {displayname} or {localpart}");
            }
            List<IrcConfig.ChannelMapping> channels = n.channels();
            for (int j = 0; j < channels.size(); j++) {
                IrcConfig.ChannelMapping m = channels.get(j);
                // The server's CHANTYPES is not known yet: any of RFC 2812's, and the bot checks again at JOIN.
                if (!net.ircbridge.irc.IrcChannelNames.isValid(m.channel(), "#&+!", net.ircbridge.irc.IrcChannelNames.DEFAULT_LENGTH)) {
                    p.add(key + ".channels[" + j + "].channel: '" + m.channel().replaceAll("\\p{Cntrl}", "?")
                            + "' is not an IRC channel name (like #chan: at most 64 bytes, no space, comma, colon or control character)");
                }
                // Room ids of room version 12 have no server part (!abc), older ones do (!abc:example.org).
                if (!m.room().matches("![^:\\s]+(:\\S+)?")) {
                    p.add(key + ".channels[" + j + "].room: '" + m.room() + "' is not a Matrix room id (like !abc:example.org)");
                }
            }
            IrcConfig.DynamicChannels dynamic = n.dynamicChannels();
            for (String list : List.of("allow", "deny")) {
                List<String> patterns = ("allow".equals(list) ? dynamic.allow() : dynamic.deny()).orElse(List.of());
                for (int j = 0; j < patterns.size(); j++) {
                    String pattern = patterns.get(j);
                    if (pattern.isEmpty() || pattern.length() > 200 || pattern.chars().anyMatch(ch -> ch <= ' ' || ch == ',' || ch == 0x7f)) {
                        p.add(key + ".dynamic-channels." + list + "[" + j + "]: '" + pattern.replaceAll("\\p{Cntrl}", "?")
                                + "' is not a channel pattern (like #project-*: no space, comma or control character)");
                    }
                }
            }
            if (dynamic.maxRooms() < 0) {
                p.add(key + ".dynamic-channels.max-rooms: must not be negative");
            }
            if (dynamic.newRoomsPerMinute() < 1) {
                p.add(key + ".dynamic-channels.new-rooms-per-minute: must be at least 1 (set dynamic-channels.enabled: false for none)");
            }
            if (n.reconnectDelaySeconds() < 1) {
                p.add(key + ".reconnect-delay-seconds: must be at least 1");
            }
            if (n.netsplitWaitSeconds() < 0) {
                p.add(key + ".netsplit-wait-seconds: must not be negative");
            }
            if (n.maxMirroredMembers() < 0) {
                p.add(key + ".max-mirrored-members: must not be negative");
            }
            if (n.limits().maxConnections() < 1) {
                p.add(key + ".limits.max-connections: must be at least 1");
            }
            if (!(n.limits().connectionsPerSecond() > 0)) {
                p.add(key + ".limits.connections-per-second: must be more than 0");
            }
            if (n.sendRate().burst() < 1) {
                p.add(key + ".send-rate.burst: must be at least 1");
            }
            if (n.sendRate().intervalMillis() < 0) {
                p.add(key + ".send-rate.interval-millis: must not be negative");
            }
            if (!List.of("public", "knock", "invite").contains(n.defaultJoinRule())) {
                p.add(key + ".default-join-rule: '" + n.defaultJoinRule() + "' is not one of public, knock, invite");
            }
            if (!n.registeredOnlyMode().matches("[A-Za-z]")) {
                p.add(key + ".registered-only-mode: '" + n.registeredOnlyMode() + "' is not one mode letter");
            }
            n.space().avatar().filter(a -> !a.startsWith("mxc://"))
                    .ifPresent(a -> p.add(key + ".space.avatar: '" + a + "' is not an mxc:// URI"));
            if (n.knockTimeout().isNegative() || n.knockTimeout().isZero()) {
                p.add(key + ".knock-timeout: must be more than 0");
            }
        }
        RelayConfig relay = c.relay();
        if (relay.maxLines() < 1) {
            p.add("relay.max-lines: must be at least 1");
        }
        if (relay.replyQuoteLength() < 0) {
            p.add("relay.reply-quote-length: must not be negative");
        }
        if (relay.retryFailedEventsFor().isNegative()) {
            p.add("relay.retry-failed-events-for: must not be negative (0s: failed events are not tried again)");
        } else if (relay.retryFailedEventsFor().compareTo(java.time.Duration.ofHours(1)) > 0) {
            p.add("relay.retry-failed-events-for: must be at most 1h (the room's later events wait meanwhile)");
        }
        if (relay.maxQueuedIrcLines() < 1) {
            p.add("relay.max-queued-irc-lines: must be at least 1");
        }
        int backlog = RelayConfig.roomBacklog(relay);
        if (backlog < 1) {
            p.add("relay.max-room-backlog: must be at least 1");
        } else if (relay.maxRoomBacklog().isPresent() && relay.maxQueuedIrcLines() >= 1 && backlog >= relay.maxQueuedIrcLines()) {
            p.add("relay.max-room-backlog: must be less than relay.max-queued-irc-lines (" + relay.maxQueuedIrcLines()
                    + "), past which lines are dropped; raise max-queued-irc-lines (default 20000) or lower max-room-backlog");
        }
        relay.mediaUrl().ifPresent(url -> checkHttpUrl(p, "relay.media-url", url));
        if (relay.media().maxSize().asLongValue() < 1) {
            p.add("relay.media.max-size: must be at least 1 byte (e.g. 100M)");
        }
        if (relay.media().maxConcurrentDownloads() < 1) {
            p.add("relay.media.max-concurrent-downloads: must be at least 1");
        }
        relay.media().linkExpiry().filter(e -> e.toSeconds() < 1)
                .ifPresent(e -> p.add("relay.media.link-expiry: must be at least 1s (or empty: links don't expire)"));
        return p;
    }

    /**
     * TLS and secrets: a CA file must hold PEM certificates and only makes sense with verified TLS; a server password
     * or a bot password must not go out in plain text unless the network allows it.
     */
    private static void checkTls(List<String> p, String key, IrcConfig.Network n, Path baseDirectory) {
        n.tlsCaFile().ifPresent(file -> {
            if (!n.tls() || !n.tlsVerify()) {
                p.add(key + ".tls-ca-file: only used with tls: true and tls-verify: true");
            }
            Path path = (baseDirectory == null ? Path.of(file) : baseDirectory.resolve(file)).normalize();
            if (!java.nio.file.Files.isRegularFile(path) || !java.nio.file.Files.isReadable(path)) {
                p.add(key + ".tls-ca-file: " + path + " does not exist or cannot be read");
                return;
            }
            try (java.io.InputStream in = java.nio.file.Files.newInputStream(path)) {
                if (java.security.cert.CertificateFactory.getInstance("X.509").generateCertificates(in).isEmpty()) {
                    p.add(key + ".tls-ca-file: " + path + " holds no PEM certificate");
                }
            } catch (java.io.IOException | java.security.cert.CertificateException e) {
                p.add(key + ".tls-ca-file: " + path + " is not a PEM certificate file (" + e.getMessage() + ")");
            }
        });
        if (!n.secretsMayBeSent()) {
            String why = " would be sent in plain text: set tls: true (or allow-plaintext-secrets: true for a network"
                    + " reached over a link nobody else can read)";
            if (n.password().isPresent()) {
                p.add(key + ".password:" + why);
            }
            if (n.botPassword().isPresent()) {
                p.add(key + ".bot-password:" + why);
            }
        }
    }

    private static void checkPort(List<String> p, String key, int port) {
        if (port < 1 || port > 65535) {
            p.add(key + ": " + port + " is not a port number (1-65535)");
        }
    }

    private static void checkHttpUrl(List<String> p, String key, String url) {
        try {
            URI uri = new URI(url);
            if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme())) || uri.getHost() == null) {
                p.add(key + ": '" + url + "' is not an http(s) URL");
            }
        } catch (Exception e) {
            p.add(key + ": '" + url + "' is not an http(s) URL");
        }
    }

    private static void checkTemplate(List<String> p, String key, String template, String sigil, String part) {
        IdTemplate t = new IdTemplate(template);
        if (!template.startsWith(sigil)) {
            p.add(key + ": '" + template + "' must start with " + sigil);
        }
        if (!template.endsWith(":{domain}")) {
            p.add(key + ": '" + template + "' must end with :{domain}");
        }
        for (String placeholder : List.of("network", part)) {
            if (!t.has(placeholder)) {
                p.add(key + ": '" + template + "' must contain {" + placeholder + "}");
            }
        }
    }
}
