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
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import net.engio.mbassy.listener.Handler;
import net.ircbridge.config.IrcConfig;
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

    public KeepsTheBotOnEachNetwork(IrcClientFactory factory, IrcConfig irc, Instance<ReceivesIrcEvents> receivers) {
        this.factory = factory;
        this.networks = irc.networks();
        this.receivers = receivers;
        this.bots = networks.stream().map(BotConnection::new).toList();
    }

    /** Puts the bot on a channel, now if it is connected and again after every reconnect. */
    public void joinChannel(String networkId, String channel) {
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
    public void invite(String networkId, String nick, String channel) {
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
        for (ReceivesIrcEvents receiver : receivers) {
            try {
                receiver.receive(event);
            } catch (RuntimeException e) {
                LOG.errorf(e, "Handling %s failed", event);
            }
        }
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
        private volatile boolean registered;
        private int failures;
        /** Whether the admins were told why the bot cannot connect, since it last could. */
        private boolean toldAdmins;
        /** Whether the rooms were told that the network is lost, and so are owed word that it is back. */
        private volatile boolean lostTold;
        private final Set<String> channels = ConcurrentHashMap.newKeySet();

        BotConnection(IrcConfig.Network network) {
            this.network = network;
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
            if (registered) {
                return; // a server repeating its 004 must not make the bot JOIN every channel again
            }
            registered = true;
            failures = 0;
            toldAdmins = false;
            LOG.infof("The bot is connected to %s as %s", network.displayName(), event.getClient().getNick());
            if (lostTold) {
                lostTold = false;
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
            boolean wasUp = registered;
            registered = false;
            long delay = backoffMs(failures++);
            java.util.Optional<String> refused = IrcConnectionEnd.certificateRefused(event);
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
            // The rooms hear of it once per outage: a server that keeps refusing must not make a notice per attempt.
            if (wasUp && !lostTold) {
                lostTold = true;
                publish(new IrcEvent.NetworkLost(network.id(), IrcConnectionEnd.describe(event)));
            }
            reconnects.schedule(this::reconnect, delay, TimeUnit.MILLISECONDS);
        }

        private void reconnect() {
            try {
                connect();
            } catch (RuntimeException e) {
                long delay = backoffMs(failures++);
                LOG.errorf("Cannot reconnect the bot to %s (%s); trying again in %d ms", network.displayName(), e.getMessage(), delay);
                reconnects.schedule(this::reconnect, delay, TimeUnit.MILLISECONDS);
            }
        }

        void quit() {
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

    /** 1 s doubling to 5 minutes, with jitter so that bridges restarting together don't reconnect together. */
    static long backoffMs(int failures) {
        long base = Math.min(300_000L, 1000L << Math.min(failures, 9));
        return base / 2 + ThreadLocalRandom.current().nextLong(base / 2 + 1);
    }
}
