package net.ircbridge.irc.kicl;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import javax.net.ssl.TrustManagerFactory;

import org.kitteh.irc.client.library.Client;
import org.kitteh.irc.client.library.defaults.feature.DefaultActorTracker;
import org.kitteh.irc.client.library.defaults.feature.DefaultAuthManager;
import org.kitteh.irc.client.library.feature.auth.SaslPlain;
import org.kitteh.irc.client.library.defaults.feature.DefaultCapabilityManager;
import org.kitteh.irc.client.library.defaults.feature.DefaultISupportManager;
import org.kitteh.irc.client.library.defaults.feature.DefaultMessageTagManager;
import org.kitteh.irc.client.library.defaults.feature.DefaultServerInfo;
import org.kitteh.irc.client.library.defaults.feature.SimpleDefaultMessageMap;
import org.kitteh.irc.client.library.defaults.feature.network.NettyNetworkHandler;
import org.kitteh.irc.client.library.defaults.listener.DefaultListeners;
import org.kitteh.irc.client.library.feature.defaultmessage.DefaultMessageMap;
import org.kitteh.irc.client.library.feature.EventListenerSupplier;
import org.kitteh.irc.client.library.util.HostWithPort;
import org.jboss.logging.Logger;

/**
 * Builds KICL 9.0.0 {@link Client}s that share everything KICL lets us share, so that an idle connection costs as
 * little as possible. One factory per bridge process; it is thread-safe.
 *
 * <p>What is shared, and why:
 * <ul>
 *   <li><b>Event dispatch</b> ({@link SharedEventDispatch}): KICL's default event manager is an MBassador bus per
 *       client with two dispatcher threads and a private copy of the subscription metadata for ~100 handler
 *       methods. The shared dispatcher keeps that metadata once and dispatches synchronously on the thread that
 *       handles the client's line (as KICL does), with no thread of its own.</li>
 *   <li><b>Scheduled sending</b> ({@link ScheduledSendingQueue}): KICL's default {@code SingleDelaySender} is a
 *       thread per client sleeping between lines; here each client has a small token-bucket queue and one
 *       {@link java.util.concurrent.ScheduledExecutorService} thread ({@code irc-send-scheduler}) drains all of
 *       them. Per-connection rate: {@link IrcConnectionSpec#sendRate()}, or at run time
 *       {@link #sendingQueue(Client)}{@code .setSendRate(...)}.</li>
 *   <li><b>Exceptions</b> ({@link LoggingExceptionListener}): KICL's default is a thread per client running
 *       {@code Throwable::printStackTrace}. Here exceptions are logged synchronously to
 *       logger {@code net.ircbridge.irc.kicl};
 *       the "Connection is insecure" nag is never shown above DEBUG.</li>
 *   <li><b>Input handling</b> ({@link SerialInbox}): a pool of {@link #defaultInputThreads()} threads parses lines
 *       and fires events for all connections, each connection's lines in order, instead of an input thread per
 *       connection (see "Per-connection threads" below).</li>
 *   <li><b>Network I/O</b>: KICL's singleton {@code NettyNetworkHandler} already shares one Netty event-loop group
 *       (2 × cores threads) across all clients; we keep it.</li>
 *   <li><b>Default message map</b> (QUIT/PART texts): one instance for all clients, see {@link #defaultMessages()}.</li>
 *   <li><b>TLS trust</b>: one {@link TrustManagerFactory} (the JDK default trust store loaded once, or each
 *       {@code tls-ca-file} once) instead of KICL loading and parsing {@code cacerts} again for every TLS connection;
 *       it checks the host name too ({@link TrustsOnlyTheNamedServer}), which KICL's Netty context does not.</li>
 * </ul>
 *
 * <p>What is dropped: KICL's own reconnect (every {@code ClientConnectionEndedEvent} gets
 * {@code setAttemptReconnect(false)}; the bridge owns reconnects), the input/output line listeners (none, so no
 * threads), and the MOTD kept in memory for the life of the client ({@link TransientMotdListener}). Kept: all of
 * KICL's other default listeners, i.e. channel and user tracking, NAMES, nick tracking, ISUPPORT, IRCv3 caps
 * (CAP negotiation, account-notify, away-notify, chghost, extended-join, multi-prefix, server-time, batch, ...),
 * SASL (via {@code client.getAuthManager()}), WHO/WHOIS, modes, topics, invites, knocks.
 *
 * <p><b>Per-connection threads.</b> KICL 9.0.0's {@code DefaultClient} always starts two threads (input processor
 * and immediate sender) that its API cannot replace; idle, they cost about 70 KB of resident memory each at 1,000
 * connections, mostly stack pages HotSpot touched (see docs/benchmarks.md). By default ({@code inputThreads > 0}) the factory
 * detaches them right after building the client ({@link BridgeKiclClient}): incoming lines are handled in order on a
 * shared {@code irc-input-N} pool ({@link SerialInbox}) and immediate lines go straight to Netty. This relies on
 * private members of {@code DefaultClient} 9.0.0; on a KICL version without them the client keeps its two threads
 * and a warning is logged once. With {@code inputThreads == 0} the two threads are kept on purpose.
 *
 * <p><b>Lifecycle.</b> Call {@link Client#shutdown(String)} on every client the bridge gives up on, including after
 * {@code ClientConnectionEndedEvent}: it releases the client's Netty registration (and, with KICL's threads, ends
 * them). To reconnect, build a new client. Event handlers must be short (they run on the shared input pool, or on
 * the client's input thread): hand real work to the bridge's own ordered queues.
 */
public final class IrcClientFactory implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(IrcClientFactory.class);

    /** KICL's default listeners minus the MOTD keeper, plus {@link TransientMotdListener}. Shared, immutable. */
    private static final List<EventListenerSupplier> LISTENERS;

    static {
        List<EventListenerSupplier> list = new ArrayList<>();
        for (DefaultListeners l : DefaultListeners.values()) {
            if (l != DefaultListeners.MOTD) {
                list.add(l);
            }
        }
        list.add(() -> TransientMotdListener::new);
        LISTENERS = Collections.unmodifiableList(list);
    }

    private final SharedEventDispatch eventDispatch = new SharedEventDispatch();
    private final ThreadPoolExecutor inputExecutor;
    private final ScheduledThreadPoolExecutor sendScheduler;
    private final SendRate defaultSendRate;
    private final DefaultMessageMap defaultMessages = new SimpleDefaultMessageMap();
    private final TrustManagerFactory trustManagerFactory;
    private volatile TrustManagerFactory defaultTrust;
    /** Trust per CA file ({@code tls-ca-file}), loaded on first use. */
    private final java.util.Map<String, TrustManagerFactory> caFileTrust = new java.util.concurrent.ConcurrentHashMap<>();
    private static final TrustManagerFactory TRUST_ANYTHING = TrustsOnlyTheNamedServer.anything();

    /**
     * A factory with {@link SendRate#DEFAULT}, the JDK's default trust store and a shared input pool of
     * {@link #defaultInputThreads()} threads (no threads per connection).
     */
    public IrcClientFactory() {
        this(SendRate.DEFAULT, null, defaultInputThreads());
    }

    /**
     * @param defaultSendRate     rate for connections whose spec has none
     * @param trustManagerFactory the CAs trusted for TLS connections without a {@code tlsCaFile} (the host name is
     *                            checked as well), or {@code null} for the JDK default trust store (loaded once)
     * @param inputThreads        size of the shared pool that handles incoming lines and runs event handlers for all
     *                            connections (each connection's lines stay in order, one at a time); {@code 0} keeps
     *                            KICL's own two threads per connection (input processor and immediate sender)
     */
    public IrcClientFactory(SendRate defaultSendRate, TrustManagerFactory trustManagerFactory, int inputThreads) {
        this.defaultSendRate = Objects.requireNonNull(defaultSendRate, "defaultSendRate");
        this.trustManagerFactory = trustManagerFactory;
        if (inputThreads < 0) {
            throw new IllegalArgumentException("inputThreads must not be negative: " + inputThreads);
        }
        this.sendScheduler = new ScheduledThreadPoolExecutor(1, daemonThreads("irc-send-scheduler-"));
        this.inputExecutor = inputThreads == 0 ? null : new ThreadPoolExecutor(inputThreads, inputThreads, 0, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), daemonThreads("irc-input-"));
        // Cancelled drains (pause, rate change, shutdown) leave the queue at once instead of waiting for their time.
        this.sendScheduler.setRemoveOnCancelPolicy(true);
    }

    /** {@code max(2, available processors)}: handlers must be short, so a small pool serves thousands of connections. */
    public static int defaultInputThreads() {
        return Math.max(2, Runtime.getRuntime().availableProcessors());
    }

    private static ThreadFactory daemonThreads(String prefix) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, prefix + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * Builds a client (not connected yet) and registers the given listener objects on it. Listener objects are KICL
     * style: public methods annotated with MBassador's {@code @Handler}, taking one event, optionally filtered with
     * KICL's {@code @CommandFilter}, {@code @NumericFilter}, {@code @ToSelfOnly}, {@code @EchoMessage}. Handlers run on
     * the client's input thread and hold up that client's further lines: keep them short.
     * More listeners can be added later with {@code client.getEventManager().registerEventListener(listener)}.
     *
     * @param spec      where to connect and who to be
     * @param listeners listener objects for this client only
     * @return the client; call {@link Client#connect()} to connect
     */
    public Client build(IrcConnectionSpec spec, Object... listeners) {
        Objects.requireNonNull(spec, "spec");
        if (this.sendScheduler.isShutdown()) {
            throw new IllegalStateException("IrcClientFactory is closed");
        }
        if (spec.sendsSecretsInPlainText() && !spec.allowPlaintextSecrets()) {
            // The callers check first and say why; this is the last line of defence.
            throw new IllegalArgumentException("[" + spec.name() + "] refusing to send a password over plain text");
        }
        SendRate rate = spec.sendRate() != null ? spec.sendRate() : this.defaultSendRate;
        BridgeKiclClient client = new BridgeKiclClient();
        client.names = new LimitsNamesReplies(spec.maxNamesPerChannel());
        InetSocketAddress bind = spec.bindHost() != null ? new InetSocketAddress(spec.bindHost(), 0) : new InetSocketAddress(0);
        client.initialize(spec.name(), NettyNetworkHandler.getInstance(),
                HostWithPort.of(spec.host(), spec.port()), spec.serverPassword(),
                bind,
                null, null,
                spec.nick(), spec.user(), spec.realName(),
                new DefaultActorTracker(client),
                new DefaultAuthManager(client),
                new DefaultCapabilityManager(client),
                this.eventDispatch.forClient(client),
                LISTENERS,
                new DefaultMessageTagManager(client),
                new DefaultISupportManager(client),
                this.defaultMessages,
                c -> {
                    ScheduledSendingQueue queue = new ScheduledSendingQueue(this.sendScheduler, rate);
                    if (c instanceof BridgeKiclClient bkc) {
                        bkc.sendingQueue = queue;
                    }
                    return queue;
                },
                DefaultServerInfo::new,
                null, null, null, // no exception/input/output consumers: each would start a thread per client
                spec.tls(), null, null, null,
                spec.tls() ? this.trust(spec) : null,
                null, null, null, null, null);
        client.installExceptionListener();
        if (this.inputExecutor != null) {
            client.detachThreads(this.inputExecutor, this.sendScheduler);
        }
        if (!spec.tls() && LOG.isDebugEnabled()) {
            LOG.debug("[" + spec.name() + "] plain-text IRC connection (no TLS)");
        }
        if (spec.saslAccount() != null) {
            // KICL requests the sasl capability, authenticates, and ends CAP negotiation either way: a refused login
            // (904) leaves the connection registered but not identified.
            client.getAuthManager().addProtocol(new SaslPlain(client, spec.saslAccount(), spec.saslPassword()));
        }
        try {
            for (Object listener : listeners) {
                client.getEventManager().registerEventListener(listener);
            }
        } catch (RuntimeException e) {
            client.shutdown(); // stops the two threads DefaultClient has already started
            throw e;
        }
        return client;
    }

    /** {@link #build} and {@link Client#connect()}. Registration completes asynchronously ({@code ClientNegotiationCompleteEvent}). */
    public Client connect(IrcConnectionSpec spec, Object... listeners) {
        Client client = this.build(spec, listeners);
        client.connect();
        return client;
    }

    /** The scheduled sending queue of a client built here, to change its rate at run time. */
    public static Optional<ScheduledSendingQueue> sendingQueue(Client client) {
        return client instanceof BridgeKiclClient bkc ? Optional.ofNullable(bkc.sendingQueue) : Optional.empty();
    }

    /** Whether a client built here runs without threads of its own (see {@link #IrcClientFactory(SendRate, TrustManagerFactory, int)}). */
    public static boolean isThreadFree(Client client) {
        return client instanceof BridgeKiclClient bkc && bkc.isThreadFree();
    }

    /** Whether the client was built by an {@code IrcClientFactory}, so that {@link #setReading} can pause its reading. */
    public static boolean builtHere(Client client) {
        return client instanceof BridgeKiclClient;
    }

    /**
     * Stops or starts reading from the server for a client built here: while off, lines wait in the socket and the
     * server's own buffers instead of the bridge's memory.
     *
     * @return whether the connection's reading was set (false: not built here, not connected, or another KICL version)
     */
    public static boolean setReading(Client client, boolean on) {
        return client instanceof BridgeKiclClient bkc && bkc.setReading(on);
    }

    /** For tests. */
    SharedEventDispatch eventDispatch() {
        return this.eventDispatch;
    }

    /** QUIT/PART/... default texts shared by all clients of this factory (e.g. {@code setDefault(DefaultMessageType.QUIT, "...")}). */
    public DefaultMessageMap defaultMessages() {
        return this.defaultMessages;
    }

    /**
     * The trust for a TLS connection: any certificate with {@code verifyTls} off; otherwise the chain to the CAs of
     * the spec's {@code tlsCaFile} (or the factory's, or the JVM's) and the host name ({@link TrustsOnlyTheNamedServer}).
     * Each is loaded once and shared.
     */
    private TrustManagerFactory trust(IrcConnectionSpec spec) {
        if (!spec.verifyTls()) {
            return TRUST_ANYTHING;
        }
        if (spec.tlsCaFile() != null) {
            return this.caFileTrust.computeIfAbsent(spec.tlsCaFile(), file -> TrustsOnlyTheNamedServer.verifying(
                    TrustsOnlyTheNamedServer.pemCas(java.nio.file.Path.of(file)), "the CAs in " + file + " (tls-ca-file)"));
        }
        TrustManagerFactory t = this.defaultTrust;
        if (t == null) {
            synchronized (this) {
                t = this.defaultTrust;
                if (t == null) {
                    t = this.trustManagerFactory != null
                            ? TrustsOnlyTheNamedServer.verifying(this.trustManagerFactory, "the bridge's trusted CAs")
                            : TrustsOnlyTheNamedServer.verifying(TrustsOnlyTheNamedServer.jvmCas(), "a CA the JVM trusts");
                    this.defaultTrust = t;
                }
            }
        }
        return t;
    }

    /**
     * Stops the shared send scheduler. Shut the clients down first ({@link Client#shutdown(String)}); lines still
     * waiting for tokens are dropped. Netty's shared event loop stops by itself when KICL's last client is shut down.
     */
    @Override
    public void close() {
        this.sendScheduler.shutdownNow();
        if (this.inputExecutor != null) {
            this.inputExecutor.shutdown();
        }
        try {
            this.sendScheduler.awaitTermination(5, TimeUnit.SECONDS);
            if (this.inputExecutor != null) {
                this.inputExecutor.awaitTermination(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
