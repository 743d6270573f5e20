package net.ircbridge.irc;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import net.ircbridge.config.IrcConfig;
import net.ircbridge.config.Networks;
import net.ircbridge.irc.kicl.IrcClientFactory;
import net.ircbridge.irc.kicl.IrcConnectionSpec;
import net.ircbridge.irc.kicl.SendRate;
import org.jboss.logging.Logger;
import org.kitteh.irc.client.library.Client;

/**
 * Connections that people (Matrix users, to the core; an opaque owner id here) have to IRC networks: one per
 * owner and network, serving all of the owner's channels there. A taken nick is replaced by an alternative
 * ({@code nick_}, {@code nick2}, …) within the server's NICKLEN.
 *
 * <p>This is the registry of those connections (one per owner and network, a limit per network, new ones paced,
 * who waits for an owner's next one); each is a {@link UserConnection}.
 */
@ApplicationScoped
public class IrcUserConnections {

    private static final Logger LOG = Logger.getLogger(IrcUserConnections.class);

    private final IrcClientFactory factory;
    /** An owner's connection to a network: the key of every map of this class. */
    record OwnerOnNetwork(String network, String owner) {
    }

    private final Networks networks;
    private final KeepsTheBotOnEachNetwork bots;
    private final Map<OwnerOnNetwork, UserConnection> connections = new ConcurrentHashMap<>();

    private final PacesNewConnections pacing;
    /**
     * The account each owner's connection to a network was last identified to (key as {@link #connections}'), kept
     * across reconnections: a new connection that registers without one has lost it.
     */
    private final Map<OwnerOnNetwork, String> accounts = new ConcurrentHashMap<>();

    public IrcUserConnections(IrcClientFactory factory, Networks networks, KeepsTheBotOnEachNetwork bots) {
        this.factory = factory;
        this.bots = bots;
        this.networks = networks;
        this.pacing = new PacesNewConnections(id -> networks.get(id).limits().connectionsPerSecond());
    }

    /**
     * The owner's connection to a network, connecting it (with a nick made from {@code desiredNick}) if there is none.
     *
     * @return completes once the connection is registered
     */
    CompletableFuture<UserConnectionView> connect(String networkId, String owner, String desiredNick, String fallbackNick) {
        return connect(networkId, owner, desiredNick, fallbackNick, null);
    }

    /** An account of the network's services and its password, to identify a connection with SASL PLAIN. */
    public record Login(String account, String password) {

        @Override
        public String toString() {
            return "Login[" + account + "]"; // never the password
        }
    }

    /**
     * As {@link #connect(String, String, String, String)}, identifying a new connection to {@code login}'s
     * account with SASL while it registers (none when null).
     */
    CompletableFuture<UserConnectionView> connect(String networkId, String owner, String desiredNick, String fallbackNick,
            Login login) {
        OwnerOnNetwork key = new OwnerOnNetwork(networkId, owner);
        UserConnection existing = connections.get(key);
        if (existing != null) {
            return existing.ready();
        }
        if (stopping) {
            // No connection is made any more: what wanted one is kept for the next start, not told "not connected".
            return CompletableFuture.failedFuture(new BridgeStopping());
        }
        IrcConfig.Network network = networks.get(networkId);
        long open = connections.keySet().stream().filter(k -> k.network().equals(networkId)).count();
        if (open >= network.limits().maxConnections()) {
            return CompletableFuture.failedFuture(new IrcConnectionFailed("the bridge has reached its limit of "
                    + network.limits().maxConnections() + " connections to " + network.displayName(), false));
        }
        if (login != null && !network.secretsMayBeSent()) {
            // A login kept from when the network was configured otherwise: the connection goes unidentified.
            LOG.warnf("Not sending %s's login to %s: %s", owner, network.displayName(), plainTextRefusal(network));
            if (toldPlainTextLogin.add(key)) {
                // Told once, not at every reconnection (at most one entry per user with a stored login).
                publish(new IrcEvent.LoginRefused(networkId, owner, plainTextRefusal(network)));
            }
            login = null;
        }
        Login sasl = login;
        UserConnection connection = connections.computeIfAbsent(key, k -> {
            int nickLength = bots.nickLength(networkId);
            String nick = IrcNicks.clean(desiredNick, fallbackNick, nickLength);
            UserConnection c = new UserConnection(this, network, owner, nickLength, k, numbers.incrementAndGet());
            byNumber.put(c.number(), c);
            IrcConnectionSpec spec = IrcConnectionSpec.of(networkId + "-" + nick, network.host(), network.port(), network.tls(),
                    nick, IrcNicks.ident(fallbackNick), owner).withServerPassword(network.password().orElse(null))
                    .withSendRate(SendRate.of(network))
                    .withSasl(sasl == null ? null : sasl.account(), sasl == null ? null : sasl.password())
                    .securedAs(network)
                    .withNamesLimit(IrcConnectionSpec.namesLimit(network));
            // New connections to a network are paced, so that reconnecting many users after a server restart
            // comes as a steady trickle the server accepts, not a flood it throttles or K-lines.
            try {
                pacing.whenAllowed(networkId, () -> {
                    if (!c.closing() && !stopping) {
                        Client client = newClient(spec, c.listeners());
                        // No WHO and MODE queries on every JOIN: a person's connection needs NAMES (who is there, with
                        // which status), which the server sends anyway; the bot keeps track of the channel's modes.
                        // With hundreds of users on one channel the WHO replies alone are N² lines.
                        if (client instanceof Client.WithManagement managed) {
                            managed.getActorTracker().setQueryChannelInformation(false);
                        }
                        c.connectedWith(client);
                    }
                });
            } catch (RuntimeException e) {
                // Not made after all (the failure goes to whoever asked): nothing may name it.
                byNumber.remove(c.number(), c);
                throw e;
            }
            return c;
        });
        // Whoever waited for the owner's next connection (a message sent during a restart or a reconnect) has it.
        Set<CompletableFuture<UserConnectionView>> waiting = awaited.remove(key);
        if (waiting != null) {
            waiting.forEach(w -> w.complete(connection));
        }
        return connection.ready();
    }

    /** Makes the client of a connection whose turn to connect has come (a test's own makes fakes). */
    Client newClient(IrcConnectionSpec spec, Object[] listeners) {
        return factory.connect(spec, listeners);
    }

    /** Who waits for an owner's next connection to a network (key as {@link #connections}'), until it is made or they time out. */
    private final Map<OwnerOnNetwork, Set<CompletableFuture<UserConnectionView>>> awaited = new ConcurrentHashMap<>();

    /**
     * The owner's connection to a network: the one there is (unless it is {@code ended}, one that has ended), or the
     * next one made, by whatever makes it (a join, the restore at start, a reconnect). Makes none itself.
     *
     * @return fails with {@link java.util.concurrent.TimeoutException} if none is made {@code within}; a waiter is
     *         kept only until then, so what waits is bounded by what is waiting
     */
    public CompletableFuture<UserConnectionView> nextConnection(String networkId, String owner, UserConnectionView ended,
            java.time.Duration within) {
        OwnerOnNetwork key = new OwnerOnNetwork(networkId, owner);
        UserConnection now = connections.get(key);
        if (now != null && now != ended) {
            return CompletableFuture.completedFuture(now);
        }
        if (stopping) {
            return CompletableFuture.failedFuture(new BridgeStopping());
        }
        CompletableFuture<UserConnectionView> waiter = new CompletableFuture<>();
        awaited.compute(key, (k, set) -> {
            Set<CompletableFuture<UserConnectionView>> waiters = set != null ? set : ConcurrentHashMap.newKeySet();
            waiters.add(waiter);
            return waiters;
        });
        // Made in between: connect() may have looked for waiters before this one was there.
        now = connections.get(key);
        if (now != null && now != ended) {
            waiter.complete(now);
        }
        if (stopping) {
            // quitAll may have failed the waiters before this one was there.
            waiter.completeExceptionally(new BridgeStopping());
        }
        waiter.orTimeout(Math.max(1, within.toMillis()), java.util.concurrent.TimeUnit.MILLISECONDS)
                .whenComplete((c, failure) -> awaited.computeIfPresent(key, (k, set) -> {
                    set.remove(waiter);
                    return set.isEmpty() ? null : set;
                }));
        return waiter;
    }

    /** Owners (key as {@link #connections}') told that their stored login is not sent in plain text. */
    private final Set<OwnerOnNetwork> toldPlainTextLogin = ConcurrentHashMap.newKeySet();

    /** Why no password goes to a network: it has no TLS, and plain text was not allowed for secrets. */
    static String plainTextRefusal(IrcConfig.Network network) {
        return network.displayName() + " is reached without TLS, and the bridge does not send passwords in plain text"
                + " (allow-plaintext-secrets is off for it)";
    }

    /** Tells every receiver what a connection heard, on the thread it was heard on. */
    void publish(IrcEvent event) {
        ReceivesIrcEvents.tellEach(receivers, event);
    }

    /** The connections to a network, each of an owner. */
    public java.util.List<UserConnectionView> onNetwork(String networkId) {
        return connections.entrySet().stream().filter(e -> e.getKey().network().equals(networkId))
                .<UserConnectionView>map(Map.Entry::getValue).toList();
    }

    /**
     * Whether a nick (one decoded from a ghost's user id, say) can be the target of a line on a network: see
     * {@link IrcNicks#isSafeTarget}, with the network's NICKLEN.
     */
    public boolean isNickTarget(String networkId, String nick) {
        return IrcNicks.isSafeTarget(nick, bots.nickLength(networkId));
    }

    /** The owner's connection to a network, if they have one. */
    public java.util.Optional<UserConnectionView> find(String networkId, String owner) {
        return java.util.Optional.ofNullable(connections.get(new OwnerOnNetwork(networkId, owner)));
    }

    /** Numbers the connections (see {@link UserConnectionView#number()}). */
    private final java.util.concurrent.atomic.AtomicLong numbers = new java.util.concurrent.atomic.AtomicLong();
    /**
     * Every connection by its number, from when it is made until it has ended (or, quit before its turn to connect
     * came, never will): an intent names the connection it is for, which may be quitting and no longer the owner's.
     */
    private final Map<Long, UserConnection> byNumber = new ConcurrentHashMap<>();
    /** How the last connection of each owner to a network that ended did (key as {@link #connections}'). */
    private final Map<OwnerOnNetwork, Ended> lastEnded = new ConcurrentHashMap<>();

    /** How a connection ended: what a line meant for it fails with afterwards. */
    private record Ended(long number, String reason, boolean permanent) {
    }

    /**
     * The connection an intent is for, while it has not ended: the one of the intent's owner and network with the
     * intent's number.
     */
    java.util.Optional<UserConnection> connectionFor(IrcIntent.ForConnection intent) {
        UserConnection c = byNumber.get(intent.connection());
        return c != null && c.owner().equals(intent.owner()) && c.network().equals(intent.network())
                ? java.util.Optional.of(c) : java.util.Optional.empty();
    }

    /** What a line meant for a connection that has ended fails with: as the connection failed when it ended. */
    RuntimeException whyItEnded(IrcIntent.ForConnection intent) {
        if (stopping) {
            return new BridgeStopping();
        }
        Ended ended = lastEnded.get(new OwnerOnNetwork(intent.network(), intent.owner()));
        if (ended != null && ended.number() == intent.connection()) {
            return new IrcConnectionFailed(ended.reason(), ended.permanent());
        }
        return new IrcConnectionFailed("the connection to " + networks.displayName(intent.network()) + " ended", false);
    }

    /** A connection has ended (or, quit before its turn to connect came, never will start): {@code why} is how. */
    void ended(UserConnection connection, RuntimeException why) {
        byNumber.remove(connection.number(), connection);
        if (why instanceof IrcConnectionFailed failed) {
            lastEnded.put(connection.key(), new Ended(connection.number(), failed.reason(), failed.permanent()));
        }
    }

    private volatile boolean stopping;

    /** The QUIT message of every connection when the bridge stops. */
    private volatile String shutdownReason = "The bridge is shutting down";

    void setShutdownReason(String reason) {
        shutdownReason = IrcNicks.safeText(reason);
    }

    @PreDestroy
    void quitAll() {
        stopping = true;
        // Whoever waits for a next connection will not get one: they learn the bridge stops (and keep their event for
        // the next start) at once, instead of timing out into "not connected" while the JVM still runs.
        for (OwnerOnNetwork key : java.util.List.copyOf(awaited.keySet())) {
            Set<CompletableFuture<UserConnectionView>> waiting = awaited.remove(key);
            if (waiting != null) {
                waiting.forEach(w -> w.completeExceptionally(new BridgeStopping()));
            }
        }
        connections.values().forEach(c -> {
            Client client = c.client();
            if (client != null) {
                client.shutdown(quitReason(client, shutdownReason));
            } else {
                // Still waiting for its turn to connect: it never will.
                c.ready().completeExceptionally(new BridgeStopping());
            }
        });
    }

    /** A QUIT reason as it fits on the client's QUIT line (KICL's shutdown sends it as it is). */
    private static String quitReason(Client client, String reason) {
        return BuildsIrcLines.line(client, "QUIT").trailing(reason).build().trailing();
    }

    /** Whether the bridge is stopping: no connection is made any more, and those that end were ended by the stop. */
    boolean stopping() {
        return stopping;
    }

    /** A connection that ended, or is quitting, is no longer the owner's connection (a later one may be). */
    void forget(UserConnection connection) {
        connections.remove(connection.key(), connection);
    }

    /** The account a connection is now identified to (null: none), kept for the owner's next connection. */
    void rememberAccount(UserConnection connection, String account) {
        if (account != null) {
            accounts.put(connection.key(), account);
        } else {
            accounts.remove(connection.key());
        }
    }

    /** Forgets the account the owner's previous connection was identified to: whether there was one. */
    boolean forgetAccount(UserConnection connection) {
        return accounts.remove(connection.key()) != null;
    }

    /** A connection is on a channel again: its next drop waits the first delay again. */
    void backOnAChannel(UserConnection connection) {
        if (reconnects != null) {
            reconnects.backOnAChannel(connection.network(), connection.owner());
        }
    }

    /**
     * A connection ended because the bridge is stopping: what waited on it is not done and not failed, and is done
     * at the next start (a {@link java.util.concurrent.RejectedExecutionException}, as for work refused at a stop).
     */
    public static final class BridgeStopping extends java.util.concurrent.RejectedExecutionException {
        BridgeStopping() {
            super("the bridge is stopping");
        }
    }

    /** The server would not let a connection join a channel; the message is the server's reason. */
    public static final class JoinRefusedException extends RuntimeException {
        JoinRefusedException(String reason) {
            super(reason, null, false, false);
        }
    }

    /** Who hears what only a person's own connection sees (private messages, refused lines). */
    @jakarta.inject.Inject
    jakarta.enterprise.inject.Instance<ReceivesIrcEvents> receivers;

    /** Told when a connection is on a channel again, so that its next drop waits the first delay again. */
    @jakarta.inject.Inject
    SchedulesUsersReconnects reconnects;
}
