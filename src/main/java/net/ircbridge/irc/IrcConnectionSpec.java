package net.ircbridge.irc;

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
 */
public record IrcConnectionSpec(String name, String host, int port, boolean tls, String serverPassword,
                                String nick, String user, String realName, String bindHost, SendRate sendRate,
                                String saslAccount, String saslPassword) {

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

    /** A spec with no server password, no bind host and the factory's default send rate. */
    public static IrcConnectionSpec of(String name, String host, int port, boolean tls, String nick, String user, String realName) {
        return new IrcConnectionSpec(name, host, port, tls, null, nick, user, realName, null, null, null, null);
    }

    public IrcConnectionSpec withServerPassword(String password) {
        return new IrcConnectionSpec(name, host, port, tls, password, nick, user, realName, bindHost, sendRate, saslAccount, saslPassword);
    }

    public IrcConnectionSpec withBindHost(String localHost) {
        return new IrcConnectionSpec(name, host, port, tls, serverPassword, nick, user, realName, localHost, sendRate, saslAccount,
                saslPassword);
    }

    public IrcConnectionSpec withSendRate(SendRate rate) {
        return new IrcConnectionSpec(name, host, port, tls, serverPassword, nick, user, realName, bindHost, rate, saslAccount, saslPassword);
    }

    /** Identifies to this account with SASL PLAIN while registering (no SASL when {@code account} is null). */
    public IrcConnectionSpec withSasl(String account, String password) {
        return new IrcConnectionSpec(name, host, port, tls, serverPassword, nick, user, realName, bindHost, sendRate, account, password);
    }

    @Override
    public String toString() {
        // Never print the server password.
        return "IrcConnectionSpec[name=" + name + ", " + host + ":" + port + (tls ? " tls" : " plain") + ", nick=" + nick
                + ", user=" + user + (bindHost != null ? ", bind=" + bindHost : "") + (serverPassword != null ? ", password=***" : "") + (saslAccount != null ? ", sasl=" + saslAccount : "") + "]";
    }
}
