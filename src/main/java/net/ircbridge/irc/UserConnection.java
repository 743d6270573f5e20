package net.ircbridge.irc;

import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import net.ircbridge.config.IrcConfig;
import net.ircbridge.irc.kicl.IrcClientFactory;
import net.ircbridge.irc.kicl.ScheduledSendingQueue;
import org.kitteh.irc.client.library.Client;

/**
 * One person's connection to one network, as {@link IrcUserConnections} made it: what {@link PerformsIrcIntents}
 * asks of it for the core's {@link IrcIntent}s (join, part, send, quit, ...), and what the core reads of it through
 * {@link UserConnectionView}. What the server tells it is followed by three listeners of its KICL client:
 * {@link FollowsRegistrationAndEnd} (its nick, and how it ended), {@link FollowsChannelMembership} (which channels
 * it is on, or was refused or kicked from) and {@link HearsWhatOnlyTheUserIsTold} (private messages, refused lines,
 * invites, knock answers, its account).
 */
public final class UserConnection implements UserConnectionView {
    private static final long QUIT_GRACE_SECONDS = 10;

    private final IrcUserConnections registry;
    private final IrcConfig.Network network;
    private final String owner;
    private final IrcUserConnections.OwnerOnNetwork key;
    private final long number;
    private final FollowsRegistrationAndEnd life;
    private final FollowsChannelMembership membership;
    private final HearsWhatOnlyTheUserIsTold hearing;
    private volatile Client client;
    private volatile boolean closing;

    UserConnection(IrcUserConnections registry, IrcConfig.Network network, String owner, int nickLength,
            IrcUserConnections.OwnerOnNetwork key, long number) {
        this.registry = registry;
        this.number = number;
        this.network = network;
        this.owner = owner;
        this.key = key;
        this.membership = new FollowsChannelMembership(this, registry);
        this.life = new FollowsRegistrationAndEnd(this, registry, membership, nickLength);
        this.hearing = new HearsWhatOnlyTheUserIsTold(this, registry);
    }

    /**
     * The listener objects to register on this connection's client. In this order, so that a numeric two of them
     * take (489 refuses a JOIN and a line alike) is handled as it always was: the refused JOIN first.
     */
    Object[] listeners() {
        return new Object[] {life, membership, hearing};
    }

    @Override
    public long number() {
        return number;
    }

    @Override
    public String nick() {
        return life.nick();
    }

    @Override
    public String owner() {
        return owner;
    }

    @Override
    public String network() {
        return network.id();
    }

    @Override
    public Set<String> channels() {
        return membership.channels();
    }

    IrcConfig.Network networkConfig() {
        return network;
    }

    IrcUserConnections.OwnerOnNetwork key() {
        return key;
    }

    /** The client, once the connection's turn to connect has come (null until then). */
    Client client() {
        return client;
    }

    void connectedWith(Client client) {
        this.client = client;
    }

    /** What fails for this connection once it has ended (see {@link FollowsRegistrationAndEnd#whyItEnded}). */
    RuntimeException whyItEnded() {
        return life.whyItEnded();
    }

    /** Whether {@link #quit} was called: the connection goes nowhere any more. */
    boolean closing() {
        return closing;
    }

    /** Joins a channel (nothing happens if already on it). */
    void join(String channel) {
        membership.join(channel);
    }

    /** Leaves a channel with a reason (CR, LF and NUL removed, cut to fit the line). */
    void part(String channel, String reason) {
        membership.part(channel, reason);
    }

    /** Asks for another nick, made from {@code desired} by the server's rules (alternatives if it is taken). */
    void changeNick(String desired, String fallback) {
        life.changeNick(desired, fallback);
    }

    @Override
    public boolean isOperator(String channel) {
        return client.getChannel(channel).flatMap(c -> c.getUserModes(client.getNick()))
                .map(modes -> modes.stream().anyMatch(m -> "~&@".indexOf(m.getNickPrefix()) >= 0)).orElse(false);
    }

    /**
     * Kicks someone from a channel, with a reason (CR, LF and NUL removed, cut to fit the line).
     *
     * @throws IrcLineRefused when {@code nick} or {@code channel} cannot be named on IRC (nothing is sent)
     */
    void kick(String channel, String nick, String reason) {
        BuildsIrcLines.line(client, "KICK").channel(channel).nick(nick).trailing(reason).send();
    }

    /**
     * Bans a nick from a channel ({@code nick!*@*}).
     *
     * @throws IrcLineRefused when {@code nick} is no nick (a mask such as {@code *}, say) or {@code channel} no
     *         channel: nothing is sent, so a ban can never cover everyone
     */
    void ban(String channel, String nick) {
        BuildsIrcLines.line(client, "MODE").channel(channel).middle("+b").banMask(nick).send();
    }

    /**
     * Closes the connection with a reason, after the lines already queued (a PART with its reason, say): the
     * QUIT goes through the same queue, and the server then closes the connection.
     */
    void quit(String reason) {
        synchronized (this) {
            // Under the lock the lines are queued under: none can be queued after the QUIT below.
            closing = true;
        }
        registry.forget(this);
        Client c = client;
        if (c == null) {
            // Still waiting for its turn to connect: it never will.
            life.neverRegisters(registry.stopping() ? new IrcUserConnections.BridgeStopping()
                    : new IrcConnectionFailed(reason, false));
            // Nothing will end it either: what is said to it later fails as it always did, as a connection that closes.
            registry.ended(this, whyClosing());
            return;
        }
        String cut = BuildsIrcLines.line(c, "QUIT").trailing(reason).send().trailing();
        // If the server doesn't close the connection after the QUIT, close it ourselves.
        CompletableFuture.delayedExecutor(QUIT_GRACE_SECONDS, java.util.concurrent.TimeUnit.SECONDS)
                .execute(() -> c.shutdown(cut));
    }

    /** Completes once the connection is gone (after {@link #quit}, the server has closed it), so its nick is free. */
    @Override
    public CompletableFuture<Void> whenEnded() {
        return life.whenEnded();
    }

    @Override
    public CompletableFuture<UserConnectionView> ready() {
        return life.registration();
    }

    @Override
    public boolean isOn(String channel) {
        return membership.isOn(channel);
    }

    /**
     * Completes when the connection is on a channel (at once if it is); fails with
     * {@link IrcUserConnections.JoinRefusedException} when the server refused to let it join (471, 473, 474, 475,
     * 477, 489, 437 or 405).
     */
    @Override
    public CompletableFuture<Void> whenOn(String channel) {
        return membership.whenOn(channel);
    }

    /**
     * How many bytes of text one line to {@code target} may carry: 512 less CR LF, less the prefix the server
     * puts in front when it relays the line ({@code :nick!user@host}), less the command, the target and, for
     * an action, the CTCP framing. Until the server has told the connection its user and host, the longest
     * ones are assumed (see {@link BuildsIrcLines#relayPrefixBytes(Client)}).
     *
     * @throws IrcLineRefused when {@code target} is neither a channel nor a nick the bridge can name on IRC
     */
    @Override
    public int textBytes(String target, MessageKind kind) {
        int framing = kind == MessageKind.ACTION ? "\u0001ACTION \u0001".length() : 0;
        return BuildsIrcLines.line(client, kind == MessageKind.NOTICE ? "NOTICE" : "PRIVMSG").target(target).room() - framing;
    }

    /**
     * Sends lines to a channel or a nick, through the connection's token bucket, in order. CR, LF and NUL are
     * replaced by spaces should any be left, so a line can never carry a command of its own.
     *
     * @return completes once the lines have left the token bucket for the socket (handed to Netty); fails with
     *         {@link IrcConnectionFailed} if the connection ends first (the lines are then lost with it), or with
     *         {@link IrcUserConnections.BridgeStopping} if it ends because the bridge stops
     * @throws IrcLineRefused when {@code target} is neither a channel nor a nick the bridge can name on IRC
     *         (nothing is sent)
     */
    CompletableFuture<Void> send(String target, MessageKind kind, List<String> lines) {
        Client c = client;
        BuildsIrcLines.line(c, "PRIVMSG").target(target); // refused before any line goes
        synchronized (this) {
            if (closing) {
                return quitting();
            }
            for (String line : lines) {
                switch (kind) {
                    case NOTICE -> BuildsIrcLines.line(c, "NOTICE").target(target).text(line).send();
                    case ACTION -> BuildsIrcLines.line(c, "PRIVMSG").target(target).ctcp("ACTION", line).send();
                    default -> BuildsIrcLines.line(c, "PRIVMSG").target(target).text(line).send();
                }
            }
        }
        return sent(c);
    }

    /**
     * Lines for a connection that has sent its QUIT would be queued behind it, and the server drops them in
     * silence: they fail as a connection that ended does, so that they wait for the user's next connection (or
     * their room is told).
     */
    private CompletableFuture<Void> quitting() {
        return CompletableFuture.failedFuture(whyClosing());
    }

    /** What a line for a connection that has sent its QUIT fails with (see {@link #quitting}). */
    private RuntimeException whyClosing() {
        return registry.stopping() ? new IrcUserConnections.BridgeStopping()
                : new IrcConnectionFailed("the connection to " + network.displayName() + " was closing", false);
    }

    /** Completes once every line queued on the client so far has left its token bucket (see {@link #send}). */
    private CompletableFuture<Void> sent(Client c) {
        // A client built elsewhere (none is, outside tests) has no queue to wait for.
        CompletableFuture<Void> sent = IrcClientFactory.sendingQueue(c).map(ScheduledSendingQueue::whenSent)
                .orElseGet(() -> CompletableFuture.completedFuture(null));
        return sent.exceptionallyCompose(failure -> CompletableFuture.failedFuture(whyItEnded()));
    }

    /**
     * Sets a channel's topic (CR, LF and NUL removed, cut to fit the line).
     *
     * @return completes once the line has left the token bucket, as {@link #send}'s
     * @throws IrcLineRefused when {@code channel} cannot be named on IRC
     */
    CompletableFuture<Void> setTopic(String channel, String topic) {
        Client c = client;
        synchronized (this) {
            if (closing) {
                return quitting();
            }
            BuildsIrcLines.line(c, "TOPIC").channel(channel).trailing(topic).send();
        }
        return sent(c);
    }

    /**
     * Asks a channel's operators to let this connection in: {@code KNOCK <channel> :<reason>} (CR, LF and NUL
     * removed, cut to fit the line).
     */
    void knock(String channel, String reason) {
        hearing.knock(channel, reason);
    }

    /**
     * INVITEs a nick to a channel (which needs channel operator status on an invite-only channel).
     *
     * @throws IrcLineRefused when the nick or the channel cannot be named on IRC
     */
    void invite(String nick, String channel) {
        BuildsIrcLines.line(client, "INVITE").nick(nick).channel(channel).send();
    }

    @Override
    public String account() {
        return hearing.account();
    }

    /**
     * Identifies this connection, already registered, to an account with the network's services
     * ({@code IDENTIFY account password}, as Anope and Atheme take it): SASL can only be used while registering.
     */
    void identify(String servicesNick, String accountName, String password) {
        if (!network.secretsMayBeSent()) {
            registry.publish(new IrcEvent.LoginRefused(network.id(), owner, IrcUserConnections.plainTextRefusal(network)));
            return;
        }
        // Whole or not at all: a password cut short, or with a line break made a space, is not the password.
        BuildsIrcLines.line(client, "PRIVMSG").middle(servicesNick).whole("IDENTIFY " + accountName + " " + password).send();
    }

    /** Logs this connection out of its account with the network's services ({@code LOGOUT}). */
    void logout(String servicesNick) {
        BuildsIrcLines.line(client, "PRIVMSG").middle(servicesNick).trailing("LOGOUT").send();
    }
}
