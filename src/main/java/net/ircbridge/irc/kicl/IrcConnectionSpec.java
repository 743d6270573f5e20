package net.ircbridge.irc.kicl;

import java.util.Objects;

/**
 * What one IRC connection needs to know: where to connect and who to be.
 *
 * @param name           a short name for logs and KICL thread names (e.g. {@code "libera/@alice:example.org"}); no control characters
 * @param host           server host name or address
 * @param port           server port
 * @param tls            {@code true} for TLS, {@code false} for plain text
 * @param serverPassword server password sent as {@code PASS}, or {@code null}
 * @param nick           the nick to register with
 * @param user           user name / ident
 * @param realName       real name (gecos)
 * @param bindHost       local address to bind to (e.g. for per-user IPv6), or {@code null} for any
 * @param sendRate       token bucket for this connection's scheduled lines, or {@code null} for the factory's default
 * @param saslAccount    account to identify to with SASL PLAIN while registering, or {@code null} for none
 * @param saslPassword   its password (with {@code saslAccount})
 * @param verifyTls      with {@code tls}: verify the server's certificate chain and that it is for {@code host}
 *                       ({@code false} accepts any certificate)
 * @param tlsCaFile      with {@code tls}: a PEM file of the only CAs trusted for this server, or {@code null} for the
 *                       JVM's trusted CAs
 * @param allowPlaintextSecrets without {@code tls}: whether the server password and SASL may still be sent
 * @param maxNamesPerChannel at most this many nicks of one channel's NAMES reply are handed to KICL (the
 *                       connection's own nick always is): KICL copies a channel's whole member list for every event
 *                       on it, so a server's 20,000-nick NAMES would make each later line cost 20,000
 */
public record IrcConnectionSpec(String name, String host, int port, boolean tls, String serverPassword,
                                String nick, String user, String realName, String bindHost, SendRate sendRate,
                                String saslAccount, String saslPassword, boolean verifyTls, String tlsCaFile,
                                boolean allowPlaintextSecrets, int maxNamesPerChannel) {

    public IrcConnectionSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(nick, "nick");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(realName, "realName");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
    }

    /**
     * A spec with no server password, no bind host and the factory's default send rate; TLS verified against the
     * JVM's trusted CAs, and no secrets over plain text.
     */
    public static IrcConnectionSpec of(String name, String host, int port, boolean tls, String nick, String user, String realName) {
        return new IrcConnectionSpec(name, host, port, tls, null, nick, user, realName, null, null, null, null, true, null, false,
                Integer.MAX_VALUE);
    }

    /** Whether this connection would send a secret (PASS, SASL) over plain text. */
    public boolean sendsSecretsInPlainText() {
        return !tls && (serverPassword != null || saslAccount != null);
    }

    /** How the server's TLS certificate is checked: {@code verify} it, against the CAs in {@code caFile} (null: the JVM's). */
    public IrcConnectionSpec withTlsTrust(boolean verify, String caFile) {
        return new IrcConnectionSpec(name, host, port, tls, serverPassword, nick, user, realName, bindHost, sendRate, saslAccount,
                saslPassword, verify, caFile, allowPlaintextSecrets, maxNamesPerChannel);
    }

    /**
     * The network's TLS trust ({@code tls-verify}, {@code tls-ca-file} resolved against the configuration file's
     * directory) and its {@code allow-plaintext-secrets}.
     */
    public IrcConnectionSpec securedAs(net.ircbridge.config.IrcConfig.Network network) {
        String caFile = network.tlsCaFile().map(f -> net.ircbridge.config.ConfigFiles.resolve(f).toString()).orElse(null);
        return withTlsTrust(network.tlsVerify(), caFile).withPlaintextSecrets(network.allowPlaintextSecrets());
    }

    /**
     * How many nicks of a channel's NAMES a connection to the network tracks: twice the ghosts mirrored per room
     * ({@code max-mirrored-members}), so that ghosts already in a room can still be kept first, and at least 100.
     */
    public static int namesLimit(net.ircbridge.config.IrcConfig.Network network) {
        return (int) Math.max(100, Math.min(Integer.MAX_VALUE, 2L * network.maxMirroredMembers()));
    }

    /** Hands KICL at most {@code max} nicks of each channel's NAMES reply (besides the connection's own). */
    public IrcConnectionSpec withNamesLimit(int max) {
        return new IrcConnectionSpec(name, host, port, tls, serverPassword, nick, user, realName, bindHost, sendRate, saslAccount,
                saslPassword, verifyTls, tlsCaFile, allowPlaintextSecrets, max);
    }

    /** Whether the server password and SASL may be sent over plain text (the factory refuses to build such a client otherwise). */
    public IrcConnectionSpec withPlaintextSecrets(boolean allowed) {
        return new IrcConnectionSpec(name, host, port, tls, serverPassword, nick, user, realName, bindHost, sendRate, saslAccount,
                saslPassword, verifyTls, tlsCaFile, allowed, maxNamesPerChannel);
    }

    public IrcConnectionSpec withServerPassword(String password) {
        return new IrcConnectionSpec(name, host, port, tls, password, nick, user, realName, bindHost, sendRate, saslAccount, saslPassword,
                verifyTls, tlsCaFile, allowPlaintextSecrets, maxNamesPerChannel);
    }

    public IrcConnectionSpec withBindHost(String localHost) {
        return new IrcConnectionSpec(name, host, port, tls, serverPassword, nick, user, realName, localHost, sendRate, saslAccount,
                saslPassword, verifyTls, tlsCaFile, allowPlaintextSecrets, maxNamesPerChannel);
    }

    public IrcConnectionSpec withSendRate(SendRate rate) {
        return new IrcConnectionSpec(name, host, port, tls, serverPassword, nick, user, realName, bindHost, rate, saslAccount, saslPassword,
                verifyTls, tlsCaFile, allowPlaintextSecrets, maxNamesPerChannel);
    }

    /** Identifies to this account with SASL PLAIN while registering (no SASL when {@code account} is null). */
    public IrcConnectionSpec withSasl(String account, String password) {
        return new IrcConnectionSpec(name, host, port, tls, serverPassword, nick, user, realName, bindHost, sendRate, account, password,
                verifyTls, tlsCaFile, allowPlaintextSecrets, maxNamesPerChannel);
    }

    @Override
    public String toString() {
        // Never print the server password.
        return "IrcConnectionSpec[name=" + name + ", " + host + ":" + port + (tls ? (verifyTls ? " tls" : " tls-unverified") : " plain") + ", nick=" + nick
                + ", user=" + user + (bindHost != null ? ", bind=" + bindHost : "") + (serverPassword != null ? ", password=***" : "") + (saslAccount != null ? ", sasl=" + saslAccount : "") + "]";
    }
}
