package net.ircbridge.bridge.admin;

import net.ircbridge.bridge.Failures;
import net.ircbridge.bridge.MatrixNames;
import net.ircbridge.bridge.UserLanes;
import net.ircbridge.bridge.UserOnNetwork;
import net.ircbridge.bridge.membership.ConnectsMatrixUsersToIrc;
import net.ircbridge.bridge.membership.HoldsIrcMessagesForAbsentUsers;
import net.ircbridge.bridge.portals.PortalDirectory;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import net.ircbridge.config.IrcConfig;
import net.ircbridge.config.Networks;
import net.ircbridge.irc.IrcEvent;
import net.ircbridge.irc.IrcIntent;
import net.ircbridge.irc.PerformsIrcIntents;
import net.ircbridge.irc.ShowsIrcState;
import net.ircbridge.irc.UserConnectionView;
import net.ircbridge.irc.MessageKind;
import net.ircbridge.irc.ReceivesIrcEvents;
import net.ircbridge.store.IrcLoginStore;
import net.ircbridge.store.IrcLoginStore.IrcLogin;
import org.jboss.logging.Logger;

/**
 * A Matrix user's login to an IRC network's accounts ({@code !login}, {@code !logout}): kept in the store (the
 * password sealed), it identifies each of their new connections with SASL, reconnections included, so that their
 * eligibility for registered-only channels survives a dropped connection. A connection that is already up is
 * identified at once: through the network's services at their own server ({@code IDENTIFY} to
 * {@code services-nick@services-server}) when the configuration names it, else by reconnecting it with SASL. The
 * password never goes to the bare services nick, which on a network without services (or while they are split off)
 * anyone can take. A stored login the network refuses later (a changed password) is told in the user's admin room.
 */
@ApplicationScoped
public class LogsUsersInToIrcAccounts implements ReceivesIrcEvents {

    private static final Logger LOG = Logger.getLogger(LogsUsersInToIrcAccounts.class);
    /** How long a login waits for the network's answer. */
    static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(20);
    /** After the services' notice, how long a 900 may still take before the notice counts as the refusal. */
    private static final long NOTICE_GRACE_MILLIS = 2000;

    private final IrcLoginStore logins;
    private final ConnectsMatrixUsersToIrc users;
    private final ShowsIrcState connections;
    private final PerformsIrcIntents irc;
    private final TellsUsersInTheirAdminRoom admin;
    private final Networks networks;
    /** Logins waiting for the network's answer: key network + user; value: the answer, null when identified. */
    private final Map<UserOnNetwork, CompletableFuture<String>> pending = new ConcurrentHashMap<>();

    private final PortalDirectory portals;
    private final HoldsIrcMessagesForAbsentUsers holds;
    private final UserLanes lanes;

    public LogsUsersInToIrcAccounts(IrcLoginStore logins, ConnectsMatrixUsersToIrc users, ShowsIrcState connections,
            PerformsIrcIntents irc,
            TellsUsersInTheirAdminRoom admin, Networks networks, PortalDirectory portals, HoldsIrcMessagesForAbsentUsers holds,
            UserLanes lanes) {
        this.lanes = lanes;
        this.portals = portals;
        this.holds = holds;
        this.logins = logins;
        this.users = users;
        this.connections = connections;
        this.irc = irc;
        this.admin = admin;
        this.networks = networks;
    }

    /** The configured networks, for the commands to name one. */
    List<IrcConfig.Network> networks() {
        return networks.all();
    }

    /** The network whose id or name this is (any case). */
    Optional<IrcConfig.Network> network(String idOrName) {
        return networks.all().stream().filter(n -> n.id().equalsIgnoreCase(idOrName)
                || n.displayName().equalsIgnoreCase(idOrName)).findFirst();
    }

    /**
     * Keeps the login and identifies the user's connection with it (connecting them if they have none).
     *
     * @return what to tell the user: identified, or why not
     */
    public CompletableFuture<String> login(String user, IrcConfig.Network network, String account, String password) {
        if (!network.secretsMayBeSent()) {
            // Anyone on the way could read a password sent to a network without TLS: it is neither sent nor kept.
            LOG.infof("%s's login to %s refused: the network has no TLS and allow-plaintext-secrets is off", user,
                    network.displayName());
            return CompletableFuture.completedFuture(network.displayName() + " is reached without TLS, and the bridge does"
                    + " not send passwords in plain text (allow-plaintext-secrets is off for it): your login is not sent"
                    + " and not kept. Ask the bridge's admins to connect to it with TLS.");
        }
        logins.put(new IrcLogin(user, network.id(), account, password));
        UserOnNetwork key = key(network.id(), user);
        CompletableFuture<String> answer = new CompletableFuture<>();
        pending.put(key, answer);
        // A connection made now logs in with SASL (the login is stored first); one that is up already did not.
        boolean wasUp = connections.find(network.id(), user).isPresent();
        users.connection(network.id(), user).thenAccept(connection -> {
            if (account.equalsIgnoreCase(String.valueOf(connection.account()))) {
                answer.complete(null);
            } else if (answer.isDone()) {
                return;
            } else if (network.servicesServer().isPresent()) {
                // Addressed to the services' own server: a user who took the nick is not there, so never reads it.
                irc.perform(new IrcIntent.Identify(connection, servicesTarget(network), account, password));
            } else if (wasUp) {
                reconnectWithSasl(network, user, connection);
            } else {
                answer.complete("the network did not log your new connection in with SASL (and without"
                        + " irc.networks[].services-server the bridge sends the password nowhere else)");
            }
        }).exceptionally(failure -> {
            answer.complete("could not connect: " + Failures.cause(failure).getMessage());
            return null;
        });
        return answer.completeOnTimeout("no answer from " + network.servicesNick() + " within " + ANSWER_TIMEOUT.toSeconds() + " s",
                ANSWER_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS).thenApply(refusal -> {
                    pending.remove(key, answer);
                    if (refusal == null) {
                        LOG.infof("%s logged in to %s as %s", user, network.displayName(), account);
                        return "You are identified as " + account + " on " + network.displayName() + ". Your connections to it log in"
                                + " with SASL from now on; !logout forgets the login.";
                    }
                    logins.remove(network.id(), user);
                    LOG.infof("%s could not log in to %s as %s: %s", user, network.displayName(), account, refusal);
                    return network.displayName() + " did not accept the login as " + account + ": " + refusal
                            + ". It is not kept; try !login again.";
                });
    }

    /** Where IDENTIFY goes: the services nick at the services' own server. */
    private static String servicesTarget(IrcConfig.Network network) {
        return network.servicesNick() + "@" + network.servicesServer().orElseThrow();
    }

    /** What a connection that reconnects to log in says when it quits. */
    static final String RECONNECT_QUIT = "Reconnecting to log in to an account";
    /** How long the old connection may take to go before the new one is made anyway. */
    private static final long OLD_CONNECTION_GRACE_SECONDS = 15;

    /**
     * Logs a connection that is already up in by making it again, with SASL (the login is stored): it quits and, once
     * its nick is free, connects and joins its channels again. Meanwhile the rooms' IRC messages wait for the user, as
     * after any join, so nothing reaches a room they are not on the channel of, and nobody is soft-kicked unless the
     * new connection takes longer than the network's absence grace.
     */
    private void reconnectWithSasl(IrcConfig.Network network, String user, UserConnectionView connection) {
        java.util.Set<String> channels = java.util.Set.copyOf(connection.channels());
        channels.forEach(channel -> portals.byChannel(network.id(), MatrixNames.fold(channel))
                .ifPresent(room -> holds.absent(room, user)));
        LOG.infof("Reconnecting %s to %s to log in with SASL", user, network.displayName());
        irc.perform(new IrcIntent.Quit(connection, RECONNECT_QUIT));
        // On the user's bookkeeping lane: the old connection's end completes on an IRC input thread, and connecting
        // again reads the nick and the login from the store.
        connection.whenEnded().completeOnTimeout(null, OLD_CONNECTION_GRACE_SECONDS, TimeUnit.SECONDS).thenRun(() ->
                lanes.submitBookkeeping(new UserOnNetwork(user, network.id()), () -> {
                    if (channels.isEmpty()) {
                        users.connection(network.id(), user);
                    } else {
                        users.reconnect(network.id(), user, channels);
                    }
                    return CompletableFuture.completedFuture(null);
                }));
    }

    /** Forgets the user's login and logs their connection out. */
    public String logout(String user, IrcConfig.Network network) {
        boolean had = logins.remove(network.id(), user);
        Optional<UserConnectionView> connection = connections.find(network.id(), user)
                .filter(c -> c.account() != null);
        connection.ifPresent(c -> irc.perform(new IrcIntent.Logout(c, network.servicesNick())));
        if (!had && connection.isEmpty()) {
            return "You have no login for " + network.displayName() + ".";
        }
        return (had ? "Forgot your login for " + network.displayName() + "." : "")
                + (connection.isPresent() ? (had ? " " : "") + "Your connection to it is being logged out." : "");
    }

    @Override
    public void receive(IrcEvent event) {
        if (event instanceof IrcEvent.AccountChanged e && e.account() != null) {
            Optional.ofNullable(pending.get(key(e.network(), e.owner()))).ifPresent(answer -> answer.complete(null));
        } else if (event instanceof IrcEvent.LoginRefused e) {
            CompletableFuture<String> answer = pending.get(key(e.network(), e.owner()));
            if (answer != null) {
                answer.complete(e.text());
            } else if (e.owner().startsWith("@")) {
                // A stored login refused while reconnecting: the user would not know why restricted rooms refuse them.
                // The login is read on the user's bookkeeping lane: not on the IRC input thread this runs on.
                IrcConfig.Network network = networks.get(e.network());
                lanes.submitBookkeeping(new UserOnNetwork(e.owner(), e.network()), () -> {
                    String account = logins.find(e.network(), e.owner()).map(IrcLogin::account).orElse("your account");
                    admin.tell(e.owner(), network.displayName() + " refused your login as " + account + ": " + e.text()
                            + ". Your connection is not identified. Say !login with the right password, or !logout.");
                    return CompletableFuture.completedFuture(null);
                }).exceptionally(failure -> {
                    LOG.warnf("Cannot tell %s that %s refused their login: %s", e.owner(), network.displayName(),
                            failure.getMessage());
                    return null;
                });
            }
        } else if (event instanceof IrcEvent.LineRefused refused && refused.numeric() == 401) {
            CompletableFuture<String> answer = pending.get(key(refused.network(), refused.owner()));
            IrcConfig.Network network = networks.byId(refused.network()).orElse(null);
            if (answer != null && network != null && network.servicesServer().isPresent()
                    && refused.target().equalsIgnoreCase(servicesTarget(network))) {
                answer.complete("the network's services are not on " + network.servicesServer().get() + " (" + refused.reason() + ")");
            }
        } else if (event instanceof IrcEvent.PrivateMessageReceived pm && pm.kind() == MessageKind.NOTICE) {
            CompletableFuture<String> answer = pending.get(key(pm.network(), pm.owner()));
            IrcConfig.Network network = networks.byId(pm.network()).orElse(null);
            if (answer != null && network != null && pm.nick().equalsIgnoreCase(network.servicesNick())) {
                // Services refuse an IDENTIFY with a notice only ("Password incorrect."); a 900 follows an accepted one.
                CompletableFuture.delayedExecutor(NOTICE_GRACE_MILLIS, TimeUnit.MILLISECONDS)
                        .execute(() -> answer.complete(network.servicesNick() + " said: " + pm.text()));
            }
        }
    }

    private static UserOnNetwork key(String network, String user) {
        return new UserOnNetwork(user.toLowerCase(Locale.ROOT), network);
    }
}
