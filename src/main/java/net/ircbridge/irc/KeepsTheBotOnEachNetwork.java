package net.ircbridge.irc;

import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import net.engio.mbassy.listener.Handler;
import net.ircbridge.config.IrcConfig;
import net.ircbridge.config.Networks;
import net.ircbridge.irc.kicl.IrcClientFactory;
import net.ircbridge.irc.kicl.IrcConnectionSpec;
import net.ircbridge.irc.kicl.SendRate;
import org.jboss.logging.Logger;
import org.kitteh.irc.client.library.Client;
import org.kitteh.irc.client.library.element.Channel;
import org.kitteh.irc.client.library.element.mode.ChannelMode;
import org.kitteh.irc.client.library.element.mode.ChannelUserMode;
import org.kitteh.irc.client.library.element.mode.ModeStatus;
import org.kitteh.irc.client.library.event.channel.ChannelModeEvent;
import org.kitteh.irc.client.library.event.channel.ChannelJoinEvent;
import org.kitteh.irc.client.library.event.channel.ChannelKickEvent;
import org.kitteh.irc.client.library.event.channel.ChannelNamesUpdatedEvent;
import org.kitteh.irc.client.library.event.channel.ChannelPartEvent;
import org.kitteh.irc.client.library.event.channel.ChannelTopicEvent;
import org.kitteh.irc.client.library.event.user.UserNickChangeEvent;
import org.kitteh.irc.client.library.event.user.UserQuitEvent;
import org.kitteh.irc.client.library.event.connection.ClientConnectionEndedEvent;
import org.kitteh.irc.client.library.event.client.ClientNegotiationCompleteEvent;

/**
 * One bot connection per network, kept up: connected at start, reconnected with exponential backoff and jitter
 * when it drops (KICL's own reconnect is off), and QUIT with a reason when the bridge stops. The bot is on every
 * bridged channel (re-joined after a reconnect), and what it sees there is reported as {@link IrcEvent}s.
 */
@ApplicationScoped
public class KeepsTheBotOnEachNetwork {

    private static final Logger LOG = Logger.getLogger(KeepsTheBotOnEachNetwork.class);
    static final String QUIT_REASON = "The bridge is shutting down";
    /** Questions "does this channel exist?" open at once per network; more are answered no. */
    static final int MAX_OPEN_EXISTENCE_CHECKS = 32;
    /** Seconds a question waits for the bot to be connected and the server to answer. */
    static final int EXISTENCE_WAIT_SECONDS = 20;

    private final IrcClientFactory factory;
    private final List<IrcConfig.Network> networks;
    private final ScheduledExecutorService reconnects = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "irc-bot-reconnect");
        t.setDaemon(true);
        return t;
    });
    private final List<BotConnection> bots;
    private final Instance<ReceivesIrcEvents> receivers;
    private volatile boolean stopping;

    public KeepsTheBotOnEachNetwork(IrcClientFactory factory, Networks networks, Instance<ReceivesIrcEvents> receivers) {
        this.factory = factory;
        this.networks = networks.all();
        this.receivers = receivers;
        this.bots = this.networks.stream().map(BotConnection::new).toList();
    }

    /**
     * How long the bot's connection stays unread at a stretch while paused: a server pings its clients and drops one
     * that does not answer (InspIRCd after about 2 minutes), so every so often the bot reads for a moment (PINGs
     * are answered, the lines read then are taken as usual) and pauses again.
     */
    static final long PAUSE_STRETCH_MS = 60_000;
    /** How long such a moment of reading lasts. */
    static final long BREATHER_MS = 1_000;

    /**
     * Stops reading from the bot's connection to a network (back-pressure: what it would read has nowhere to go
     * yet). Lines wait in the socket and the server; the connection stays up. Idempotent; kept across reconnects.
     */
    void pauseReading(String networkId) {
        bot(networkId).pauseReading();
    }

    /** Reads from the bot's connection again after {@link #pauseReading}. */
    void resumeReading(String networkId) {
        bot(networkId).resumeReading();
    }

    /** Whether reading from the bot's connection to a network is paused. */
    public boolean isReadingPaused(String networkId) {
        return bot(networkId).readingPaused;
    }

    /** Puts the bot on a channel, now if it is connected and again after every reconnect. */
    void joinChannel(String networkId, String channel) {
        bot(networkId).join(channel);
    }

    /**
     * Whether {@code name} is a channel name on the network, by {@link IrcChannelNames}'s rule with the
     * {@code CHANTYPES} and {@code CHANNELLEN} the bot's server announced (the defaults until it has).
     */
    public boolean isChannelName(String networkId, String name) {
        return BuildsIrcLines.Rules.of(bot(networkId).client).isChannel(name);
    }

    /**
     * Whether the channel exists on the network now (someone is on it, or services hold it): the bot asks its
     * {@code MODE}, 324 means yes, 403 no. Answers false when the bot is not connected within the wait, the server
     * doesn't answer in time, or too many questions are open already.
     */
    public CompletableFuture<Boolean> channelExists(String networkId, String channel) {
        if (!isChannelName(networkId, channel)) {
            return CompletableFuture.completedFuture(false);
        }
        return bot(networkId).askExists(channel);
    }

    /** Whether the bot is a channel operator (halfop and up) on the channel, and so may INVITE past {@code +i}. */
    public boolean isChannelOperator(String networkId, String channel) {
        Client c = bot(networkId).client;
        return c != null && bot(networkId).registered && c.getChannel(channel).flatMap(ch -> ch.getUserModes(c.getNick()))
                .map(modes -> modes.stream().anyMatch(m -> "~&@%".indexOf(m.getNickPrefix()) >= 0)).orElse(false);
    }

    /**
     * The bot INVITEs a nick to a channel.
     *
     * @throws IrcLineRefused when the nick or the channel cannot be named on IRC (nothing is sent)
     */
    void invite(String networkId, String nick, String channel) {
        Client c = bot(networkId).client;
        if (c != null) {
            BuildsIrcLines.line(c, "INVITE").nick(nick).channel(channel).send();
        }
    }

    /** The network's NICKLEN as the bot's server announced it, or a default before the bot is connected. */
    public int nickLength(String networkId) {
        Client c = bot(networkId).client;
        int limit = c == null ? -1 : c.getServerInfo().getNickLengthLimit();
        return limit > 0 ? limit : IrcNicks.DEFAULT_LENGTH;
    }

    private BotConnection bot(String networkId) {
        return bots.stream().filter(b -> b.network.id().equals(networkId)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no network " + networkId));
    }


    private void publish(IrcEvent event) {
        ReceivesIrcEvents.tellEach(receivers, event);
    }

    /** Connects the bot to every network. */
    public void connectAll() {
        networks.stream().filter(n -> n.tls() && !n.tlsVerify()).forEach(n -> LOG.warnf("TLS certificates of %s (%s) are"
                + " NOT verified (tls-verify: false): anyone between the bridge and %s can pose as it and read every password"
                + " the bridge sends there", n.displayName(), n.id(), n.host()));
        bots.forEach(BotConnection::connect);
    }

    @PreDestroy
    void quitAll() {
        stopping = true;
        reconnects.shutdownNow();
        bots.forEach(BotConnection::quit);
    }

    /** The bot's connection to one network. */
    final class BotConnection {
        private final IrcConfig.Network network;
        private volatile Client client;
        /** Whether the bot is registered on the network now: the lifecycle's CONNECTED, readable from any thread. */
        private volatile boolean registered;
        /** Connecting, connected, lost, reconnecting: the state and backoff across attempts; guarded by itself. */
        private final ConnectionLifecycle lifecycle = new ConnectionLifecycle(ConnectionLifecycle.Policy.BOT);
        /** Whether the admins were told why the bot cannot connect, since it last could. */
        private boolean toldAdmins;
        private final Set<String> channels = ConcurrentHashMap.newKeySet();
        /** Whether reading is paused (back-pressure); guarded by this. */
        private volatile boolean readingPaused;
        /** Counts pauses, so that a breather scheduled for an earlier pause does nothing. */
        private long pauseNumber;

        BotConnection(IrcConfig.Network network) {
            this.network = network;
        }

        synchronized void pauseReading() {
            if (readingPaused) {
                return;
            }
            readingPaused = true;
            applyReading();
            long number = ++pauseNumber;
            scheduleBreather(number);
        }

        synchronized void resumeReading() {
            if (!readingPaused) {
                return;
            }
            readingPaused = false;
            applyReading();
        }

        private void applyReading() {
            if (IrcClientFactory.builtHere(client) && !IrcClientFactory.setReading(client, !readingPaused) && readingPaused) {
                LOG.debugf("Could not pause reading from %s (not connected)", network.displayName());
            }
        }

        private void scheduleBreather(long number) {
            if (stopping) {
                return;
            }
            reconnects.schedule(() -> breathe(number), PAUSE_STRETCH_MS, TimeUnit.MILLISECONDS);
        }

        /** A moment of reading during a long pause, so that the server's PINGs are answered. */
        private synchronized void breathe(long number) {
            if (!readingPaused || number != pauseNumber || !IrcClientFactory.builtHere(client)) {
                return;
            }
            LOG.infof("Reading from %s for a moment while paused, to answer the server's pings", network.displayName());
            IrcClientFactory.setReading(client, true);
            reconnects.schedule(() -> {
                synchronized (this) {
                    if (readingPaused && number == pauseNumber) {
                        applyReading();
                        scheduleBreather(number);
                    }
                }
            }, BREATHER_MS, TimeUnit.MILLISECONDS);
        }

        synchronized void connect() {
            if (stopping) {
                return;
            }
            IrcConnectionSpec spec = IrcConnectionSpec.of(network.id() + "-bot", network.host(), network.port(), network.tls(),
                    network.botNick(), "bridge", "Matrix bridge bot").withServerPassword(network.password().orElse(null))
                    .withSendRate(SendRate.of(network))
                    // Registered-only channels (+R) let the bot in only when it is identified.
                    .withSasl(network.botAccount().orElse(null), network.botPassword().orElse(null))
                    .securedAs(network)
                    .withNamesLimit(IrcConnectionSpec.namesLimit(network));
            LOG.infof("Connecting the bot to %s (%s:%d) as %s", network.displayName(), network.host(), network.port(),
                    network.botNick());
            client = factory.connect(spec, this);
        }

        @Handler
        public void registered(ClientNegotiationCompleteEvent event) {
            ConnectionLifecycle.Transition connected;
            synchronized (lifecycle) {
                connected = lifecycle.registered();
            }
            if (!connected.changed()) {
                return; // a server repeating its 004 must not make the bot JOIN every channel again
            }
            registered = true;
            synchronized (this) {
                if (readingPaused) {
                    applyReading(); // a new connection reads by default
                }
            }
            toldAdmins = false;
            LOG.infof("The bot is connected to %s as %s", network.displayName(), event.getClient().getNick());
            if (connected.outage()) {
                // The rooms were told the network was lost: they are owed word that it is back.
                publish(new IrcEvent.NetworkBack(network.id()));
            }
            // One JOIN per channel: a name this server refuses (or KICL throws on) costs only its own channel.
            for (String channel : channels) {
                send(event.getClient(), channel);
            }
            existenceChecks.keySet().forEach(channel -> askMode(event.getClient(), channel));
        }

        void join(String channel) {
            if (channels.add(channel) && registered) {
                send(client, channel);
            }
        }

        private void send(Client c, String channel) {
            if (!isChannelName(network.id(), channel)) {
                LOG.warnf("Not joining %s on %s: not a channel name there (CHANTYPES, CHANNELLEN, or a byte no channel"
                        + " name may hold)", IrcNicks.safeText(channel), network.displayName());
                return;
            }
            try {
                c.addChannel(channel);
            } catch (RuntimeException e) {
                LOG.warnf("Not joining %s on %s: %s", IrcNicks.safeText(channel), network.displayName(), e.getMessage());
            }
        }

        // ---- whether a channel exists, before a portal is made for it ----

        /** Open questions, by lower-cased channel; a few at a time, each answered or timed out. */
        private final Map<String, CompletableFuture<Boolean>> existenceChecks = new ConcurrentHashMap<>();

        CompletableFuture<Boolean> askExists(String channel) {
            String key = channel.toLowerCase(java.util.Locale.ROOT);
            CompletableFuture<Boolean> existing = existenceChecks.get(key);
            if (existing != null) {
                return existing;
            }
            if (existenceChecks.size() >= MAX_OPEN_EXISTENCE_CHECKS) {
                return CompletableFuture.completedFuture(false);
            }
            CompletableFuture<Boolean> answer = new CompletableFuture<>();
            existing = existenceChecks.putIfAbsent(key, answer);
            if (existing != null) {
                return existing;
            }
            answer.completeOnTimeout(false, EXISTENCE_WAIT_SECONDS, TimeUnit.SECONDS)
                    .whenComplete((exists, failure) -> existenceChecks.remove(key, answer));
            Client c = client;
            if (registered && c != null) {
                askMode(c, channel);
            }
            // Otherwise asked as soon as the bot is registered.
            return answer;
        }

        private void askMode(Client c, String channel) {
            try {
                c.sendRawLine("MODE " + channel);
            } catch (RuntimeException e) {
                LOG.warnf("Cannot ask %s about %s: %s", network.displayName(), IrcNicks.safeText(channel), e.getMessage());
            }
        }

        private void answerExists(String channel, boolean exists) {
            CompletableFuture<Boolean> answer = existenceChecks.get(channel.toLowerCase(java.util.Locale.ROOT));
            if (answer != null) {
                answer.complete(exists);
            }
        }

        /** 403: {@code <me> <channel> :No such channel}, the answer to MODE for a channel nobody is on. */
        @Handler
        @org.kitteh.irc.client.library.feature.filter.NumericFilter(403)
        public void noSuchChannel(org.kitteh.irc.client.library.event.client.ClientReceiveNumericEvent event) {
            if (event.getParameters().size() >= 2) {
                answerExists(event.getParameters().get(1), false);
            }
        }

        /**
         * 405: {@code <me> <channel> :You are on too many channels}. The network limits channels per connection;
         * the bot stays off this one, which is logged and said in the portal's room.
         */
        @Handler
        @org.kitteh.irc.client.library.feature.filter.NumericFilter(405)
        public void tooManyChannels(org.kitteh.irc.client.library.event.client.ClientReceiveNumericEvent event) {
            List<String> params = event.getParameters();
            if (params.size() < 2 || channels.stream().noneMatch(c -> c.equalsIgnoreCase(params.get(1)))) {
                return;
            }
            LOG.errorf("%s refuses the bot on %s (405 %s): the network limits channels per connection", network.displayName(),
                    IrcNicks.safeText(params.get(1)), IrcNicks.safeText(params.get(params.size() - 1)));
            publish(new IrcEvent.BotOnTooManyChannels(network.id(), params.get(1), params.get(params.size() - 1)));
        }

        private boolean isBot(Client c, String nick) {
            return c.getNick().equalsIgnoreCase(nick);
        }

        @Handler
        public void names(ChannelNamesUpdatedEvent event) {
            Channel channel = event.getChannel();
            Map<String, String> members = new LinkedHashMap<>();
            for (String nick : channel.getNicknames()) {
                if (isBot(event.getClient(), nick)) {
                    continue;
                }
                String prefix = channel.getUserModes(nick)
                        .map(modes -> modes.isEmpty() ? "" : String.valueOf(modes.first().getNickPrefix())).orElse("");
                members.put(nick, prefix);
            }
            publish(new IrcEvent.ChannelMembersListed(network.id(), channel.getName(), members));
        }

        @Handler
        public void joined(ChannelJoinEvent event) {
            if (!isBot(event.getClient(), event.getUser().getNick())) {
                publish(new IrcEvent.UserJoinedChannel(network.id(), event.getChannel().getName(), event.getUser().getNick()));
            }
        }

        @Handler
        public void parted(ChannelPartEvent event) {
            if (!isBot(event.getClient(), event.getUser().getNick())) {
                publish(new IrcEvent.UserPartedChannel(network.id(), event.getChannel().getName(), event.getUser().getNick(),
                        event.getMessage()));
            }
        }

        @Handler
        public void quit(UserQuitEvent event) {
            publish(new IrcEvent.UserQuit(network.id(), event.getUser().getNick(), event.getMessage()));
        }

        @Handler
        public void kicked(ChannelKickEvent event) {
            publish(new IrcEvent.UserKicked(network.id(), event.getChannel().getName(), nickOf(event.getActor().getName()),
                    event.getTarget().getNick(), event.getMessage()));
        }

        @Handler
        public void nick(UserNickChangeEvent event) {
            publish(new IrcEvent.NickChanged(network.id(), event.getOldUser().getNick(), event.getNewUser().getNick()));
        }

        @Handler
        public void modes(ChannelModeEvent event) {
            Channel channel = event.getClient().getChannel(event.getChannel().getName()).orElse(event.getChannel());
            for (ModeStatus<ChannelMode> status : event.getStatusList().getAll()) {
                if (!(status.getMode() instanceof ChannelUserMode mode) || status.getParameter().isEmpty()) {
                    continue;
                }
                String nick = status.getParameter().get();
                if (isBot(event.getClient(), nick)) {
                    continue;
                }
                // The status just given counts even if the client's tracking hasn't caught up; for one taken away,
                // what else the user still has decides.
                String prefix;
                if (status.getAction() == ModeStatus.Action.ADD) {
                    prefix = String.valueOf(mode.getNickPrefix());
                } else {
                    prefix = channel.getUserModes(nick).stream().flatMap(java.util.Set::stream)
                            .filter(m -> m.getNickPrefix() != mode.getNickPrefix())
                            .map(m -> String.valueOf(m.getNickPrefix())).findFirst().orElse("");
                }
                publish(new IrcEvent.UserStatusChanged(network.id(), channel.getName(), nick, prefix));
            }
        }

        @Handler
        public void topic(ChannelTopicEvent event) {
            String topic = event.getNewTopic().getValue().orElse("");
            String setBy = event.isNew() ? event.getNewTopic().getSetter().map(a -> nickOf(a.getName())).orElse(null) : null;
            publish(new IrcEvent.TopicChanged(network.id(), event.getChannel().getName(), topic, setBy));
        }

        @Handler
        public void message(org.kitteh.irc.client.library.event.channel.ChannelMessageEvent event) {
            said(event.getClient(), event.getChannel(), event.getActor(), MessageKind.MESSAGE, event.getMessage());
        }

        @Handler
        public void notice(org.kitteh.irc.client.library.event.channel.ChannelNoticeEvent event) {
            said(event.getClient(), event.getChannel(), event.getActor(), MessageKind.NOTICE, event.getMessage());
        }

        /** CTCP to a channel: only ACTION ("/me") is conversation; VERSION, PING and the like are not bridged. */
        @Handler
        public void ctcp(org.kitteh.irc.client.library.event.channel.ChannelCtcpEvent event) {
            String message = event.getMessage();
            if (message.startsWith("ACTION ")) {
                said(event.getClient(), event.getChannel(), event.getActor(), MessageKind.ACTION, message.substring(7));
            }
        }

        private void said(Client c, Channel channel, org.kitteh.irc.client.library.element.User user, MessageKind kind, String text) {
            if (!isBot(c, user.getNick())) {
                publish(new IrcEvent.MessageSentToChannel(network.id(), channel.getName(), user.getNick(), kind, text));
            }
        }

        @Handler
        public void ended(ClientConnectionEndedEvent event) {
            Client ended = event.getClient();
            ended.shutdown();
            if (stopping || ended != client) {
                return;
            }
            registered = false;
            java.util.Optional<String> refused = IrcConnectionEnd.certificateRefused(event);
            ConnectionLifecycle.Transition lost;
            synchronized (lifecycle) {
                // The bot retries a refusal too (Policy.BOT): an operator may fix the certificate or lift a ban.
                lost = lifecycle.ended(refused.isPresent() ? ConnectionLifecycle.End.REFUSED : ConnectionLifecycle.End.DROPPED);
            }
            if (!lost.changed()) {
                return; // let go meanwhile (the bridge is stopping)
            }
            long delay = lost.retryInMillis();
            // The rooms hear of it once per outage: a server that keeps refusing must not make a notice per attempt.
            if (lost.outage()) {
                publish(new IrcEvent.NetworkLost(network.id(), refused.orElseGet(() -> IrcConnectionEnd.describe(event))));
            }
            if (refused.isPresent()) {
                // Nothing was sent: the TLS handshake failed before any line. Backoff keeps the retries slow.
                LOG.errorf("The bridge refused the TLS certificate of %s (%s:%d): %s; trying again in %d ms",
                        network.displayName(), network.host(), network.port(), refused.get(), delay);
                if (!toldAdmins) {
                    toldAdmins = true;
                    publish(new IrcEvent.BotCannotConnect(network.id(), refused.get()));
                }
                reconnects.schedule(this::reconnect, delay, TimeUnit.MILLISECONDS);
                return;
            }
            LOG.warnf("The bot's connection to %s ended (%s); reconnecting in %d ms", network.displayName(),
                    IrcConnectionEnd.describe(event), delay);
            reconnects.schedule(this::reconnect, delay, TimeUnit.MILLISECONDS);
        }

        private void reconnect() {
            synchronized (lifecycle) {
                if (!lifecycle.retryDue().changed()) {
                    return; // let go meanwhile
                }
            }
            try {
                connect();
            } catch (RuntimeException e) {
                ConnectionLifecycle.Transition failed;
                synchronized (lifecycle) {
                    failed = lifecycle.ended(ConnectionLifecycle.End.DROPPED);
                }
                if (!failed.changed()) {
                    return;
                }
                long delay = failed.retryInMillis();
                LOG.errorf("Cannot reconnect the bot to %s (%s); trying again in %d ms", network.displayName(), e.getMessage(), delay);
                reconnects.schedule(this::reconnect, delay, TimeUnit.MILLISECONDS);
            }
        }

        void quit() {
            synchronized (lifecycle) {
                lifecycle.close();
            }
            Client c = client;
            if (c != null) {
                c.shutdown(QUIT_REASON);
            }
        }

        // ---- channel modes (other than users' status), for the rooms' join rules ----

        /** The mode letters set on each channel, as far as the bot has seen: from 324 at join, then every MODE. */
        private final Map<String, java.util.SortedSet<Character>> channelModes = new ConcurrentHashMap<>();

        /** 324, the answer to the MODE KICL asks for when the bot joins: {@code <me> <channel> +modes [params]}. */
        @Handler
        @org.kitteh.irc.client.library.feature.filter.NumericFilter(324)
        public void modesReported(org.kitteh.irc.client.library.event.client.ClientReceiveNumericEvent event) {
            List<String> params = event.getParameters();
            if (params.size() < 3) {
                return;
            }
            String channel = params.get(1);
            java.util.SortedSet<Character> modes = new java.util.TreeSet<>();
            for (char c : params.get(2).toCharArray()) {
                if (c != '+') {
                    modes.add(c);
                }
            }
            channelModes.put(channel.toLowerCase(java.util.Locale.ROOT), modes);
            answerExists(channel, true);
            publish(new IrcEvent.ChannelModeChanged(network.id(), channel, null, null, letters(modes)));
        }

        @Handler
        public void channelModesChanged(ChannelModeEvent event) {
            String channel = event.getChannel().getName();
            java.util.SortedSet<Character> modes = channelModes.computeIfAbsent(channel.toLowerCase(java.util.Locale.ROOT),
                    k -> new java.util.TreeSet<>());
            StringBuilder change = new StringBuilder();
            char lastAction = 0;
            synchronized (modes) {
                for (ModeStatus<ChannelMode> status : event.getStatusList().getAll()) {
                    if (status.getMode() instanceof ChannelUserMode) {
                        continue;
                    }
                    char letter = status.getMode().getChar();
                    // List modes (bans, exceptions) are no state of the channel itself.
                    if (status.getMode().getType() == ChannelMode.Type.A_MASK) {
                        continue;
                    }
                    char action = status.getAction() == ModeStatus.Action.ADD ? '+' : '-';
                    if (action == '+') {
                        modes.add(letter);
                    } else {
                        modes.remove(letter);
                    }
                    if (action != lastAction) {
                        change.append(action);
                        lastAction = action;
                    }
                    change.append(letter);
                }
            }
            if (change.length() > 0) {
                publish(new IrcEvent.ChannelModeChanged(network.id(), channel, nickOf(event.getActor().getName()),
                        change.toString(), letters(modes)));
            }
        }

        /**
         * A channel that refuses the bot's JOIN tells which mode keeps it out: 473 invite-only, 475 keyed, 477
         * registered-only (the network's {@code registered-only-mode}). Reported as the modes known, so that the
         * room's join rule follows even though the bot is not on the channel.
         */
        @Handler
        @org.kitteh.irc.client.library.feature.filter.NumericFilter(473)
        @org.kitteh.irc.client.library.feature.filter.NumericFilter(475)
        @org.kitteh.irc.client.library.feature.filter.NumericFilter(477)
        public void botRefused(org.kitteh.irc.client.library.event.client.ClientReceiveNumericEvent event) {
            List<String> params = event.getParameters();
            if (params.size() < 2 || channels.stream().noneMatch(c -> c.equalsIgnoreCase(params.get(1)))) {
                return;
            }
            String modes = switch (event.getNumeric()) {
                case 473 -> "i";
                case 475 -> "k";
                default -> network.registeredOnlyMode();
            };
            LOG.warnf("%s on %s refuses the bot (%d %s): an operator can INVITE %s", params.get(1), network.displayName(),
                    event.getNumeric(), params.get(params.size() - 1), event.getClient().getNick());
            publish(new IrcEvent.ChannelModeChanged(network.id(), params.get(1), null, null, modes));
        }

        /** An INVITE to a bridged channel that refused the bot lets it in. */
        @Handler
        public void botInvited(org.kitteh.irc.client.library.event.channel.ChannelInviteEvent event) {
            String channel = event.getChannel().getName();
            if (isBot(event.getClient(), event.getTarget()) && channels.stream().anyMatch(c -> c.equalsIgnoreCase(channel))) {
                LOG.infof("The bot was invited to %s on %s: joining", channel, network.displayName());
                event.getClient().addChannel(channel);
            }
        }

        private static String letters(java.util.SortedSet<Character> modes) {
            StringBuilder s = new StringBuilder();
            synchronized (modes) {
                modes.forEach(s::append);
            }
            return s.toString();
        }
    }

    /** The nick of an actor name, which is a full nick!user@host for users. */
    static String nickOf(String actorName) {
        int bang = actorName.indexOf('!');
        return bang < 0 ? actorName : actorName.substring(0, bang);
    }

}
