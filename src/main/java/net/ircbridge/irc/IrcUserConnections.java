package net.ircbridge.irc;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import net.engio.mbassy.listener.Handler;
import net.ircbridge.config.IrcConfig;
import org.jboss.logging.Logger;
import org.kitteh.irc.client.library.Client;
import java.util.List;
import org.kitteh.irc.client.library.event.channel.RequestedChannelJoinCompleteEvent;
import org.kitteh.irc.client.library.event.channel.ChannelKickEvent;
import org.kitteh.irc.client.library.event.client.ClientReceiveCommandEvent;
import org.kitteh.irc.client.library.event.client.ClientReceiveNumericEvent;
import org.kitteh.irc.client.library.feature.filter.NumericFilter;
import org.kitteh.irc.client.library.feature.filter.CommandFilter;
import org.kitteh.irc.client.library.event.client.ClientNegotiationCompleteEvent;
import org.kitteh.irc.client.library.event.client.NickRejectedEvent;
import org.kitteh.irc.client.library.event.connection.ClientConnectionEndedEvent;
import org.kitteh.irc.client.library.event.user.UserNickChangeEvent;

/**
 * Connections that people (Matrix users, to the core; an opaque owner id here) have to IRC networks: one per
 * owner and network, serving all of the owner's channels there. A taken nick is replaced by an alternative
 * ({@code nick_}, {@code nick2}, …) within the server's NICKLEN.
 */
@ApplicationScoped
public class IrcUserConnections {

    private static final Logger LOG = Logger.getLogger(IrcUserConnections.class);
    private static final long QUIT_GRACE_SECONDS = 10;

    private final IrcClientFactory factory;
    private final Map<String, IrcConfig.Network> networks = new ConcurrentHashMap<>();
    private final KeepsTheBotOnEachNetwork bots;
    private final Map<String, UserConnection> connections = new ConcurrentHashMap<>();

    private final PacesNewConnections pacing;
    /**
     * The account each owner's connection to a network was last identified to (key as {@link #connections}'), kept
     * across reconnections: a new connection that registers without one has lost it.
     */
    private final Map<String, String> accounts = new ConcurrentHashMap<>();

    public IrcUserConnections(IrcClientFactory factory, IrcConfig irc, KeepsTheBotOnEachNetwork bots) {
        this.factory = factory;
        this.bots = bots;
        irc.networks().forEach(n -> networks.put(n.id(), n));
        this.pacing = new PacesNewConnections(id -> networks.get(id).limits().connectionsPerSecond());
    }

    /** What the owner of a connection hears about it; called on IRC input threads, so it must not wait. */
    public interface Listener {
        /** The connection is registered with this nick (and will use it until {@link #nickChanged}). */
        void registered(String nick);

        void nickChanged(String oldNick, String newNick);

        /** The connection joined a channel it asked for. */
        default void joinedChannel(String channel) {
        }

        /** A channel refused the connection's JOIN ({@code serverText}: the server's words). */
        default void channelRefused(String channel, ChannelRefusal refusal, String serverText) {
        }

        /** Someone kicked the connection from a channel. */
        default void kickedFromChannel(String channel, String kicker, String reason) {
        }

        /**
         * The connection is gone (and will not come back by itself).
         *
         * @param unexpected false when the bridge closed it (the user left every room, or the bridge stops)
         * @param permanent trying again cannot help (see {@link IrcConnectionFailed})
         * @param channels the channels it was on
         */
        void ended(String reason, boolean unexpected, boolean permanent, Set<String> channels);
    }

    /**
     * The owner's connection to a network, connecting it (with a nick made from {@code desiredNick}) if there is none.
     *
     * @return completes once the connection is registered
     */
    public CompletableFuture<UserConnection> connect(String networkId, String owner, String desiredNick, String fallbackNick,
            Listener listener) {
        return connect(networkId, owner, desiredNick, fallbackNick, listener, null);
    }

    /** An account of the network's services and its password, to identify a connection with SASL PLAIN. */
    public record Login(String account, String password) {

        @Override
        public String toString() {
            return "Login[" + account + "]"; // never the password
        }
    }

    /**
     * As {@link #connect(String, String, String, String, Listener)}, identifying a new connection to {@code login}'s
     * account with SASL while it registers (none when null).
     */
    public CompletableFuture<UserConnection> connect(String networkId, String owner, String desiredNick, String fallbackNick,
            Listener listener, Login login) {
        String key = networkId + "\n" + owner;
        UserConnection existing = connections.get(key);
        if (existing != null) {
            return existing.registration;
        }
        IrcConfig.Network network = networks.get(networkId);
        long open = connections.keySet().stream().filter(k -> k.startsWith(networkId + "\n")).count();
        if (open >= network.limits().maxConnections()) {
            return CompletableFuture.failedFuture(new IrcConnectionFailed("the bridge has reached its limit of "
                    + network.limits().maxConnections() + " connections to " + network.displayName(), false));
        }
        if (login != null && !network.secretsMayBeSent()) {
            // A login kept from when the network was configured otherwise: the connection goes unidentified.
            LOG.warnf("Not sending %s's login to %s: %s", owner, network.displayName(), plainTextRefusal(network));
            if (toldPlainTextLogin.add(key)) {
                // Told once, not at every reconnection (at most one entry per user with a stored login).
                publishLoginRefused(networkId, owner, plainTextRefusal(network));
            }
            login = null;
        }
        Login sasl = login;
        UserConnection connection = connections.computeIfAbsent(key, k -> {
            int nickLength = bots.nickLength(networkId);
            String nick = IrcNicks.clean(desiredNick, fallbackNick, nickLength);
            UserConnection c = new UserConnection(network, owner, nickLength, listener, k);
            IrcConnectionSpec spec = IrcConnectionSpec.of(networkId + "-" + nick, network.host(), network.port(), network.tls(),
                    nick, IrcNicks.ident(fallbackNick), owner).withServerPassword(network.password().orElse(null))
                    .withSendRate(SendRate.of(network))
                    .withSasl(sasl == null ? null : sasl.account(), sasl == null ? null : sasl.password())
                    .securedAs(network)
                    .withNamesLimit(IrcConnectionSpec.namesLimit(network));
            // New connections to a network are paced, so that reconnecting many users after a server restart
            // comes as a steady trickle the server accepts, not a flood it throttles or K-lines.
            pacing.whenAllowed(networkId, () -> {
                if (!c.closing && !stopping) {
                    Client client = factory.connect(spec, c);
                    // No WHO and MODE queries on every JOIN: a person's connection needs NAMES (who is there, with
                    // which status), which the server sends anyway; the bot keeps track of the channel's modes.
                    // With hundreds of users on one channel the WHO replies alone are N² lines.
                    if (client instanceof Client.WithManagement managed) {
                        managed.getActorTracker().setQueryChannelInformation(false);
                    }
                    c.client = client;
                }
            });
            return c;
        });
        return connection.registration;
    }

    /** Owners (key as {@link #connections}') told that their stored login is not sent in plain text. */
    private final Set<String> toldPlainTextLogin = ConcurrentHashMap.newKeySet();

    /** Why no password goes to a network: it has no TLS, and plain text was not allowed for secrets. */
    static String plainTextRefusal(IrcConfig.Network network) {
        return network.displayName() + " is reached without TLS, and the bridge does not send passwords in plain text"
                + " (allow-plaintext-secrets is off for it)";
    }

    private void publishLoginRefused(String networkId, String owner, String text) {
        if (receivers == null) {
            return;
        }
        for (ReceivesIrcEvents receiver : receivers) {
            try {
                receiver.receive(new IrcEvent.LoginRefused(networkId, owner, text));
            } catch (RuntimeException e) {
                LOG.errorf(e, "Handling a refused login of %s failed", owner);
            }
        }
    }

    /** The connections to a network, each of an owner. */
    public java.util.List<UserConnection> onNetwork(String networkId) {
        return connections.entrySet().stream().filter(e -> e.getKey().startsWith(networkId + "\n")).map(Map.Entry::getValue).toList();
    }

    /**
     * Whether a nick (one decoded from a ghost's user id, say) can be the target of a line on a network: see
     * {@link IrcNicks#isSafeTarget}, with the network's NICKLEN.
     */
    public boolean isNickTarget(String networkId, String nick) {
        return IrcNicks.isSafeTarget(nick, bots.nickLength(networkId));
    }

    /** The owner's connection to a network, if they have one. */
    public java.util.Optional<UserConnection> find(String networkId, String owner) {
        return java.util.Optional.ofNullable(connections.get(networkId + "\n" + owner));
    }

    private volatile boolean stopping;

    /** The QUIT message of every connection when the bridge stops. */
    private volatile String shutdownReason = "The bridge is shutting down";

    public void setShutdownReason(String reason) {
        shutdownReason = IrcNicks.safeText(reason);
    }

    @PreDestroy
    void quitAll() {
        stopping = true;
        connections.values().forEach(c -> {
            Client client = c.client;
            if (client != null) {
                client.shutdown(quitReason(client, shutdownReason));
            }
        });
    }

    /** A QUIT reason as it fits on the client's QUIT line (KICL's shutdown sends it as it is). */
    private static String quitReason(Client client, String reason) {
        return BuildsIrcLines.line(client, "QUIT").trailing(reason).build().trailing();
    }

    /** One person's connection to one network. */
    public final class UserConnection {
        private final IrcConfig.Network network;
        private final String owner;
        private final int nickLength;
        private final Listener listener;
        private final String key;
        private final CompletableFuture<UserConnection> registration = new CompletableFuture<>();
        private final Set<String> channels = ConcurrentHashMap.newKeySet();
        private final AtomicInteger nickAttempts = new AtomicInteger();
        private volatile Client client;
        private volatile String nick;
        private volatile boolean closing;
        private volatile String serverSaid;
        /** Set when the server said something that makes retrying pointless (a ban, refused credentials). */
        private volatile boolean permanent;
        private volatile boolean killed;

        UserConnection(IrcConfig.Network network, String owner, int nickLength, Listener listener, String key) {
            this.network = network;
            this.owner = owner;
            this.nickLength = nickLength;
            this.listener = listener;
            this.key = key;
        }

        public String nick() {
            return nick;
        }

        public String owner() {
            return owner;
        }

        public Set<String> channels() {
            return Set.copyOf(channels);
        }

        /** Joins a channel (nothing happens if already on it). */
        public void join(String channel) {
            if (closing) {
                // Quitting (the user left while it was still connecting): it goes nowhere any more.
                return;
            }
            if (!BuildsIrcLines.Rules.of(client).isChannel(channel)) {
                // A portal stored before names were checked: it must not make KICL throw on this connection.
                LOG.warnf("%s does not join '%s' on %s: it is not a channel name there", owner, IrcNicks.safeText(channel),
                        network.displayName());
                return;
            }
            if (channels.add(channel.toLowerCase(java.util.Locale.ROOT))) {
                client.addChannel(channel);
            }
        }


        /** Leaves a channel with a reason (CR, LF and NUL removed, cut to fit the line). */
        public void part(String channel, String reason) {
            channels.remove(channel.toLowerCase(java.util.Locale.ROOT));
            Client c = client;
            if (c != null) {
                try {
                    // KICL sends the PART (and forgets the channel): it gets the reason as the line builder cut it.
                    c.removeChannel(channel, BuildsIrcLines.line(c, "PART").channel(channel).trailing(reason).build().trailing());
                } catch (IrcLineRefused refused) {
                    LOG.warnf("%s cannot part %s: %s", owner, channel, refused.reason());
                }
            }
        }

        /** Asks for another nick, made from {@code desired} by the server's rules (alternatives if it is taken). */
        public void changeNick(String desired, String fallback) {
            String cleaned = IrcNicks.clean(desired, fallback, nickLength);
            if (client != null && !cleaned.equals(nick)) {
                client.setNick(cleaned);
            }
        }

        /** Whether this connection has operator status (or more) on a channel. */
        public boolean isOperator(String channel) {
            return client.getChannel(channel).flatMap(c -> c.getUserModes(client.getNick()))
                    .map(modes -> modes.stream().anyMatch(m -> "~&@".indexOf(m.getNickPrefix()) >= 0)).orElse(false);
        }

        /**
         * Kicks someone from a channel, with a reason (CR, LF and NUL removed, cut to fit the line).
         *
         * @throws IrcLineRefused when {@code nick} or {@code channel} cannot be named on IRC (nothing is sent)
         */
        public void kick(String channel, String nick, String reason) {
            BuildsIrcLines.line(client, "KICK").channel(channel).nick(nick).trailing(reason).send();
        }

        /**
         * Bans a nick from a channel ({@code nick!*@*}).
         *
         * @throws IrcLineRefused when {@code nick} is no nick (a mask such as {@code *}, say) or {@code channel} no
         *         channel: nothing is sent, so a ban can never cover everyone
         */
        public void ban(String channel, String nick) {
            BuildsIrcLines.line(client, "MODE").channel(channel).middle("+b").banMask(nick).send();
        }

        /**
         * Closes the connection with a reason, after the lines already queued (a PART with its reason, say): the
         * QUIT goes through the same queue, and the server then closes the connection.
         */
        public void quit(String reason) {
            closing = true;
            connections.remove(key, this);
            Client c = client;
            if (c == null) {
                // Still waiting for its turn to connect: it never will.
                registration.completeExceptionally(new IrcConnectionFailed(reason, false));
                return;
            }
            String cut = BuildsIrcLines.line(c, "QUIT").trailing(reason).send().trailing();
            // If the server doesn't close the connection after the QUIT, close it ourselves.
            CompletableFuture.delayedExecutor(QUIT_GRACE_SECONDS, java.util.concurrent.TimeUnit.SECONDS)
                    .execute(() -> c.shutdown(cut));
        }

        @Handler
        public void registered(ClientNegotiationCompleteEvent event) {
            nick = event.getClient().getNick();
            LOG.debugf("%s is on %s as %s", owner, network.displayName(), nick);
            listener.registered(nick);
            if (account == null && accounts.remove(key) != null) {
                // Identified before, not now (no SASL, or SASL refused): the account is gone with the old connection.
                publish(new IrcEvent.AccountChanged(network.id(), owner, null));
            }
            registration.complete(this);
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
                listener.nickChanged(old, nick);
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
            serverSaid = params.isEmpty() ? "refused by the server (" + event.getNumeric() + ")" : params.get(params.size() - 1);
        }

        /** A channel refused a JOIN: {@code <me> <channel> :<text>}. */
        @Handler
        @NumericFilter(471)
        @NumericFilter(473)
        @NumericFilter(474)
        @NumericFilter(475)
        @NumericFilter(477)
        @NumericFilter(489)
        @NumericFilter(437)
        @NumericFilter(405)
        public void channelRefused(ClientReceiveNumericEvent event) {
            List<String> params = event.getParameters();
            if (params.size() < 2) {
                return;
            }
            String channel = params.get(1);
            String key = channel.toLowerCase(java.util.Locale.ROOT);
            String text = params.size() > 2 ? params.get(params.size() - 1) : "";
            // Whoever waits to say something there (see whenOn) learns why they can't.
            refusedJoins.put(key, text);
            CompletableFuture<Void> arrival = arrivals.remove(key);
            if (arrival != null) {
                arrival.completeExceptionally(new JoinRefusedException(text));
            }
            if (!channels.remove(key)) {
                return;
            }
            client.removeChannel(channel);
            LOG.debugf("%s could not join %s: %d %s", nick, channel, event.getNumeric(), text);
            listener.channelRefused(channel, ChannelRefusal.of(event.getNumeric(), text), text);
        }

        @Handler
        public void kicked(ChannelKickEvent event) {
            if (!event.getTarget().getNick().equals(nick)) {
                return;
            }
            String channel = event.getChannel().getName();
            channels.remove(channel.toLowerCase(java.util.Locale.ROOT));
            client.removeChannel(channel);
            String kicker = event.getActor() instanceof org.kitteh.irc.client.library.element.User u ? u.getNick() : event.getActor().getName();
            listener.kickedFromChannel(channel, kicker, event.getMessage());
        }

        @Handler
        public void joined(RequestedChannelJoinCompleteEvent event) {
            LOG.debugf("%s joined %s", nick, event.getChannel().getName());
            listener.joinedChannel(event.getChannel().getName());
        }

        @Handler
        public void ended(ClientConnectionEndedEvent event) {
            connections.remove(key, this);
            event.getClient().shutdown();
            String reason = IrcConnectionEnd.describe(event, serverSaid);
            if (IrcConnectionEnd.certificateRefused(event).isPresent()) {
                // The server is not who it should be: trying again cannot help until an admin sees to it.
                permanent = true;
            }
            if (!killed && IrcConnectionEnd.meansBanned(reason)) {
                // KICL handles ERROR itself, so its text may only be known from the connection's last line.
                permanent = true;
            }
            registration.completeExceptionally(new IrcConnectionFailed(reason, permanent));
            listener.ended(reason, !closing && !stopping, permanent, Set.copyOf(channels));
            end.complete(null);
        }

        /** Completes once the connection is gone (after {@link #quit}, the server has closed it), so its nick is free. */
        public CompletableFuture<Void> whenEnded() {
            return end;
        }

        private final CompletableFuture<Void> end = new CompletableFuture<>();

        // ---- conversation: the lines of a person's messages, and what only their connection hears ----

        /** Channels a JOIN was asked for, each with what waits for the server to confirm it. */
        private final Map<String, CompletableFuture<Void>> arrivals = new ConcurrentHashMap<>();

        /** The id of the network this connection is to. */
        public String network() {
            return network.id();
        }

        /** Completes once the connection is registered (at once if it is); fails if it ends first. */
        public CompletableFuture<UserConnection> ready() {
            return registration;
        }

        /** Whether the connection is on a channel now, the server having confirmed its JOIN. */
        public boolean isOn(String channel) {
            Client c = client;
            return c != null && c.getChannel(channel).isPresent();
        }

        /** Channels whose JOIN the server refused, with its reason, until a JOIN succeeds. */
        private final Map<String, String> refusedJoins = new ConcurrentHashMap<>();

        /**
         * Completes when the connection is on a channel (at once if it is); fails with {@link JoinRefusedException}
         * when the server refused to let it join (see {@link #channelRefused}).
         */
        public CompletableFuture<Void> whenOn(String channel) {
            String key = channel.toLowerCase(java.util.Locale.ROOT);
            if (isOn(channel)) {
                return CompletableFuture.completedFuture(null);
            }
            String refusal = refusedJoins.get(key);
            if (refusal != null) {
                return CompletableFuture.failedFuture(new JoinRefusedException(refusal));
            }
            CompletableFuture<Void> arrival = arrivals.computeIfAbsent(key, k -> new CompletableFuture<>());
            if (isOn(channel)) {
                arrival.complete(null);
            }
            return arrival;
        }

        @Handler
        public void arrived(RequestedChannelJoinCompleteEvent event) {
            String key = event.getChannel().getName().toLowerCase(java.util.Locale.ROOT);
            refusedJoins.remove(key);
            CompletableFuture<Void> arrival = arrivals.remove(key);
            if (arrival != null) {
                arrival.complete(null);
            }
        }

        /**
         * How many bytes of text one line to {@code target} may carry: 512 less CR LF, less the prefix the server
         * puts in front when it relays the line ({@code :nick!user@host}), less the command, the target and, for
         * an action, the CTCP framing. Until the server has told the connection its user and host, the longest
         * ones are assumed (see {@link BuildsIrcLines#relayPrefixBytes(Client)}).
         *
         * @throws IrcLineRefused when {@code target} is neither a channel nor a nick the bridge can name on IRC
         */
        public int textBytes(String target, MessageKind kind) {
            int framing = kind == MessageKind.ACTION ? "\u0001ACTION \u0001".length() : 0;
            return BuildsIrcLines.line(client, kind == MessageKind.NOTICE ? "NOTICE" : "PRIVMSG").target(target).room() - framing;
        }

        /**
         * Sends lines to a channel or a nick, through the connection's token bucket, in order. CR, LF and NUL are
         * replaced by spaces should any be left, so a line can never carry a command of its own.
         *
         * @throws IrcLineRefused when {@code target} is neither a channel nor a nick the bridge can name on IRC
         *         (nothing is sent)
         */
        public void send(String target, MessageKind kind, List<String> lines) {
            Client c = client;
            BuildsIrcLines.line(c, "PRIVMSG").target(target); // refused before any line goes
            for (String line : lines) {
                switch (kind) {
                    case NOTICE -> BuildsIrcLines.line(c, "NOTICE").target(target).text(line).send();
                    case ACTION -> BuildsIrcLines.line(c, "PRIVMSG").target(target).ctcp("ACTION", line).send();
                    default -> BuildsIrcLines.line(c, "PRIVMSG").target(target).text(line).send();
                }
            }
        }

        /**
         * Sets a channel's topic (CR, LF and NUL removed, cut to fit the line).
         *
         * @throws IrcLineRefused when {@code channel} cannot be named on IRC
         */
        public void setTopic(String channel, String topic) {
            BuildsIrcLines.line(client, "TOPIC").channel(channel).trailing(topic).send();
        }

        @Handler
        public void privateMessage(org.kitteh.irc.client.library.event.user.PrivateMessageEvent event) {
            publish(new IrcEvent.PrivateMessageReceived(network.id(), owner, event.getActor().getNick(), MessageKind.MESSAGE,
                    event.getMessage()));
        }

        @Handler
        public void privateNotice(org.kitteh.irc.client.library.event.user.PrivateNoticeEvent event) {
            publish(new IrcEvent.PrivateMessageReceived(network.id(), owner, event.getActor().getNick(), MessageKind.NOTICE,
                    event.getMessage()));
        }

        @Handler
        public void privateAction(org.kitteh.irc.client.library.event.user.PrivateCtcpQueryEvent event) {
            if (event.getMessage().startsWith("ACTION ")) {
                publish(new IrcEvent.PrivateMessageReceived(network.id(), owner, event.getActor().getNick(), MessageKind.ACTION,
                        event.getMessage().substring("ACTION ".length())));
            }
        }

        /**
         * The server refusing a line: 401 no such nick, 404 cannot send to channel (+m, +n, banned), 407 too many
         * targets, 412 no text, 442 not on channel, 482 not a channel operator (TOPIC on +t), 486 and 531 the user
         * takes messages only from some, 489 secure-only channel, 492 no CTCPs, 716 the user is in +g mode.
         */
        @Handler
        public void refused(org.kitteh.irc.client.library.event.client.ClientReceiveNumericEvent event) {
            List<String> params = event.getParameters();
            if (REFUSALS.contains(event.getNumeric()) && params.size() >= 2) {
                publish(new IrcEvent.LineRefused(network.id(), owner, params.get(1), event.getNumeric(),
                        params.get(params.size() - 1)));
            }
        }

        private void publish(IrcEvent event) {
            if (receivers == null) {
                return;
            }
            for (ReceivesIrcEvents receiver : receivers) {
                try {
                    receiver.receive(event);
                } catch (RuntimeException e) {
                    LOG.errorf(e, "Handling %s failed", event);
                }
            }
        }

        // ---- knocks, invites and accounts ----

        /** The channel of the latest KNOCK, for the answers that don't name it (480 on InspIRCd, 421). */
        private volatile String knockedOn;

        /**
         * Asks a channel's operators to let this connection in: {@code KNOCK <channel> :<reason>} (CR, LF and NUL
         * removed, cut to fit the line).
         */
        public void knock(String channel, String reason) {
            knockedOn = channel;
            BuildsIrcLines.line(client, "KNOCK").channel(channel).trailing(reason).send();
        }

        /**
         * INVITEs a nick to a channel (which needs channel operator status on an invite-only channel).
         *
         * @throws IrcLineRefused when the nick or the channel cannot be named on IRC
         */
        public void invite(String nick, String channel) {
            BuildsIrcLines.line(client, "INVITE").nick(nick).channel(channel).send();
        }

        /** The account the connection is identified to (900), or null. */
        public String account() {
            return account;
        }

        private volatile String account;

        /** 711 delivered, 713 channel open, 714 already on it, 480 no knocks (+K), 421 no KNOCK command at all. */
        @Handler
        @NumericFilter(711)
        @NumericFilter(713)
        @NumericFilter(714)
        @NumericFilter(480)
        @NumericFilter(421)
        public void knockAnswered(ClientReceiveNumericEvent event) {
            List<String> params = event.getParameters();
            if (event.getNumeric() == 421 && (params.size() < 2 || !"KNOCK".equalsIgnoreCase(params.get(1)))) {
                return;
            }
            String channel = params.size() > 2 && "#&+!".indexOf(params.get(1).charAt(0)) >= 0 ? params.get(1) : knockedOn;
            if (channel == null) {
                return;
            }
            publish(new IrcEvent.KnockAnswered(network.id(), owner, channel, event.getNumeric(),
                    params.isEmpty() ? "" : params.get(params.size() - 1)));
        }

        /** InspIRCd 3 tells the knocker with a notice ("KNOCKing on #chan") rather than 711. */
        @Handler
        public void knockDelivered(org.kitteh.irc.client.library.event.client.ClientReceiveCommandEvent event) {
            List<String> params = event.getParameters();
            if (!"NOTICE".equals(event.getCommand()) || params.size() < 2 || knockedOn == null
                    || event.getActor() instanceof org.kitteh.irc.client.library.element.User) {
                return;
            }
            String text = params.get(params.size() - 1);
            if (text.equalsIgnoreCase("KNOCKing on " + knockedOn)) {
                publish(new IrcEvent.KnockAnswered(network.id(), owner, knockedOn, 711, text));
            }
        }

        @Handler
        public void invited(org.kitteh.irc.client.library.event.channel.ChannelInviteEvent event) {
            if (nick != null && event.getTarget().equalsIgnoreCase(nick)) {
                String inviter = event.getActor() instanceof org.kitteh.irc.client.library.element.User u ? u.getNick()
                        : event.getActor().getName();
                publish(new IrcEvent.InvitedToChannel(network.id(), owner, event.getChannel().getName(), inviter));
            }
        }

        /** 900: logged in to an account (SASL, or services); 901: logged out. */
        @Handler
        @NumericFilter(900)
        @NumericFilter(901)
        public void accountChanged(ClientReceiveNumericEvent event) {
            List<String> params = event.getParameters();
            account = event.getNumeric() == 900 && params.size() >= 3 ? params.get(2) : null;
            if (account != null) {
                accounts.put(key, account);
            } else {
                accounts.remove(key);
            }
            publish(new IrcEvent.AccountChanged(network.id(), owner, account));
        }

        /**
         * The login was refused: 904 wrong account or password, 905 too long, 902 the nick is locked. The server goes
         * on registering the connection, unidentified.
         */
        @Handler
        @NumericFilter(902)
        @NumericFilter(904)
        @NumericFilter(905)
        public void loginRefused(ClientReceiveNumericEvent event) {
            List<String> params = event.getParameters();
            publish(new IrcEvent.LoginRefused(network.id(), owner, params.isEmpty() ? "" : params.get(params.size() - 1)));
        }

        /**
         * Identifies this connection, already registered, to an account with the network's services
         * ({@code IDENTIFY account password}, as Anope and Atheme take it): SASL can only be used while registering.
         */
        public void identify(String servicesNick, String accountName, String password) {
            if (!network.secretsMayBeSent()) {
                publish(new IrcEvent.LoginRefused(network.id(), owner, plainTextRefusal(network)));
                return;
            }
            // Whole or not at all: a password cut short, or with a line break made a space, is not the password.
            BuildsIrcLines.line(client, "PRIVMSG").middle(servicesNick).whole("IDENTIFY " + accountName + " " + password).send();
        }

        /** Logs this connection out of its account with the network's services ({@code LOGOUT}). */
        public void logout(String servicesNick) {
            BuildsIrcLines.line(client, "PRIVMSG").middle(servicesNick).trailing("LOGOUT").send();
        }
    }

    /** The numerics that refuse a line a connection sent (see {@link UserConnection#refused}). */
    static final Set<Integer> REFUSALS = Set.of(401, 404, 407, 412, 442, 482, 486, 489, 492, 531, 716);

    /** The server would not let a connection join a channel; the message is the server's reason. */
    public static final class JoinRefusedException extends RuntimeException {
        JoinRefusedException(String reason) {
            super(reason, null, false, false);
        }
    }

    /** Who hears what only a person's own connection sees (private messages, refused lines). */
    @jakarta.inject.Inject
    jakarta.enterprise.inject.Instance<ReceivesIrcEvents> receivers;
}
