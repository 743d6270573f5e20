package net.ircbridge.irc;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import net.engio.mbassy.listener.Handler;
import org.jboss.logging.Logger;
import org.kitteh.irc.client.library.event.client.ClientNegotiationCompleteEvent;
import org.kitteh.irc.client.library.event.client.ClientReceiveCommandEvent;
import org.kitteh.irc.client.library.event.client.ClientReceiveNumericEvent;
import org.kitteh.irc.client.library.event.client.NickRejectedEvent;
import org.kitteh.irc.client.library.event.connection.ClientConnectionEndedEvent;
import org.kitteh.irc.client.library.event.user.UserNickChangeEvent;
import org.kitteh.irc.client.library.feature.filter.CommandFilter;
import org.kitteh.irc.client.library.feature.filter.NumericFilter;

/**
 * A {@link UserConnection}'s life on its network, a KICL listener of its client: its registration, its nick (an
 * alternative when the one asked for is taken), what the server said before closing it (KILL, ERROR, 464, 465), and
 * its end, told as {@link IrcEvent.ConnectionLost}, {@link IrcEvent.ConnectionFailed} or
 * {@link IrcEvent.ConnectionClosed}.
 */
final class FollowsRegistrationAndEnd {
    /** Under the category the connections have always logged under. */
    private static final Logger LOG = Logger.getLogger(IrcUserConnections.class);

    private final UserConnection connection;
    private final IrcUserConnections registry;
    private final FollowsChannelMembership membership;
    private final int nickLength;
    private final CompletableFuture<UserConnectionView> registration = new CompletableFuture<>();
    private final CompletableFuture<Void> end = new CompletableFuture<>();
    private final AtomicInteger nickAttempts = new AtomicInteger();
    private volatile String nick;
    private volatile String serverSaid;
    /**
     * The text of a 465 or 464, kept apart from {@link #serverSaid}: InspIRCd sends "You're banned!" and then an
     * ERROR naming the K-line's reason, and KICL, which handles ERROR itself, does not always show it as an event
     * before the connection ends. The ERROR's text, from wherever it is known, is the better account of why.
     */
    private volatile String refusal;
    /** What the connection ended with, once it has (the account its kick's reason gave). */
    private volatile RuntimeException endedWith;
    /** Set when the server said something that makes retrying pointless (a ban, refused credentials). */
    private volatile boolean permanent;
    private volatile boolean killed;

    FollowsRegistrationAndEnd(UserConnection connection, IrcUserConnections registry, FollowsChannelMembership membership,
            int nickLength) {
        this.connection = connection;
        this.registry = registry;
        this.membership = membership;
        this.nickLength = nickLength;
    }

    String nick() {
        return nick;
    }

    CompletableFuture<UserConnectionView> registration() {
        return registration;
    }

    /** The connection will never register (it never got its turn to connect). */
    void neverRegisters(RuntimeException why) {
        registration.completeExceptionally(why);
    }

    CompletableFuture<Void> whenEnded() {
        return end;
    }

    /** What fails for a connection that has ended: what the server said, if it said anything. */
    RuntimeException whyItEnded() {
        RuntimeException ended = endedWith;
        if (ended != null) {
            return ended;
        }
        return registry.stopping() ? new IrcUserConnections.BridgeStopping() : new IrcConnectionFailed(
                serverSaid != null ? serverSaid : refusal != null ? refusal : "the connection to " + connection.networkConfig().displayName() + " ended",
                permanent);
    }

    /** See {@link UserConnection#changeNick}. */
    void changeNick(String desired, String fallback) {
        String cleaned = IrcNicks.clean(desired, fallback, nickLength);
        if (connection.client() != null && !cleaned.equals(nick)) {
            connection.client().setNick(cleaned);
        }
    }

    @Handler
    public void registered(ClientNegotiationCompleteEvent event) {
        nick = event.getClient().getNick();
        LOG.debugf("%s is on %s as %s", connection.owner(), connection.networkConfig().displayName(), nick);
        registry.publish(new IrcEvent.ConnectionRegistered(connection.network(), connection.owner(), nick));
        if (connection.account() == null && registry.forgetAccount(connection)) {
            // Identified before, not now (no SASL, or SASL refused): the account is gone with the old connection.
            registry.publish(new IrcEvent.AccountChanged(connection.network(), connection.owner(), null));
        }
        registration.complete(connection);
    }

    @Handler
    public void nickRejected(NickRejectedEvent event) {
        event.setNewNick(IrcNicks.alternative(event.getAttemptedNick(), nickAttempts.incrementAndGet(), nickLength));
    }

    @Handler
    public void nickChanged(UserNickChangeEvent event) {
        if (event.getOldUser().getNick().equals(nick)) {
            String old = nick;
            nick = event.getNewUser().getNick();
            registry.publish(new IrcEvent.OwnNickChanged(connection.network(), connection.owner(), old, nick));
        }
    }

    /** Why the server is about to close the connection (KILL, K-line, ...), kept for the soft kick's reason. */
    @Handler
    @CommandFilter("ERROR")
    @CommandFilter("KILL")
    public void serverSays(ClientReceiveCommandEvent event) {
        List<String> params = event.getParameters();
        if ("KILL".equals(event.getCommand())) {
            killed = true;
        }
        if (!params.isEmpty()) {
            serverSaid = params.get(params.size() - 1);
            if (!killed && IrcConnectionEnd.meansBanned(serverSaid)) {
                permanent = true;
            }
        }
    }

    /** 465: banned from the server; 464: wrong server password. */
    @Handler
    @NumericFilter(465)
    @NumericFilter(464)
    public void refusedByServer(ClientReceiveNumericEvent event) {
        permanent = true;
        List<String> params = event.getParameters();
        refusal = params.isEmpty() ? "refused by the server (" + event.getNumeric() + ")" : params.get(params.size() - 1);
    }

    @Handler
    public void ended(ClientConnectionEndedEvent event) {
        registry.forget(connection);
        event.getClient().shutdown();
        String reason = serverSaid == null && refusal != null && !IrcConnectionEnd.endedWithError(event) ? refusal
                : IrcConnectionEnd.describe(event, serverSaid);
        if (IrcConnectionEnd.certificateRefused(event).isPresent()) {
            // The server is not who it should be: trying again cannot help until an admin sees to it.
            permanent = true;
        }
        if (!killed && IrcConnectionEnd.meansBanned(reason)) {
            // KICL handles ERROR itself, so its text may only be known from the connection's last line.
            permanent = true;
        }
        // Ended by the stop: not a failure to tell anyone of; what waited is kept for the next start. Otherwise the
        // same account as the kick's reason, for the registration, whoever waits to say something on a channel, and
        // every later line on this connection.
        RuntimeException failure = registry.stopping() ? new IrcUserConnections.BridgeStopping() : new IrcConnectionFailed(reason, permanent);
        endedWith = failure;
        registration.completeExceptionally(failure);
        membership.neverArrives(() -> failure);
        registry.ended(connection, failure);
        LOG.infof("%s's IRC connection to %s ended: %s", connection.owner(), connection.networkConfig().displayName(), reason);
        if (connection.closing() || registry.stopping()) {
            registry.publish(new IrcEvent.ConnectionClosed(connection.network(), connection.owner(), nick, reason));
        } else if (permanent) {
            registry.publish(new IrcEvent.ConnectionFailed(connection.network(), connection.owner(), nick, reason,
                    membership.askedFor()));
        } else {
            registry.publish(new IrcEvent.ConnectionLost(connection.network(), connection.owner(), nick, reason,
                    membership.askedFor()));
        }
        end.complete(null);
    }
}
