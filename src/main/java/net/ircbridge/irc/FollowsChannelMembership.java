package net.ircbridge.irc;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import net.engio.mbassy.listener.Handler;
import org.jboss.logging.Logger;
import org.kitteh.irc.client.library.Client;
import org.kitteh.irc.client.library.event.channel.ChannelKickEvent;
import org.kitteh.irc.client.library.event.channel.RequestedChannelJoinCompleteEvent;
import org.kitteh.irc.client.library.event.client.ClientReceiveNumericEvent;
import org.kitteh.irc.client.library.feature.filter.NumericFilter;

/**
 * The channels of a {@link UserConnection}, a KICL listener of its client: the JOINs asked for, what waits for the
 * server to confirm one ({@link UserConnection#whenOn}), the channels that refused it (471, 473, 474, 475, 477, 489,
 * 437, 405) and those it was kicked from.
 */
final class FollowsChannelMembership {
    /** Under the category the connections have always logged under. */
    private static final Logger LOG = Logger.getLogger(IrcUserConnections.class);

    private final UserConnection connection;
    private final IrcUserConnections registry;
    /** The channels asked for (lower case), on or still to be joined. */
    private final Set<String> channels = ConcurrentHashMap.newKeySet();
    /** Channels a JOIN was asked for, each with what waits for the server to confirm it. */
    private final Map<String, CompletableFuture<Void>> arrivals = new ConcurrentHashMap<>();
    /** Channels whose JOIN the server refused, with its reason, until a JOIN succeeds. */
    private final Map<String, String> refusedJoins = new ConcurrentHashMap<>();

    FollowsChannelMembership(UserConnection connection, IrcUserConnections registry) {
        this.connection = connection;
        this.registry = registry;
    }

    Set<String> channels() {
        return Set.copyOf(channels);
    }

    /** The channels asked for, as they are now (the events told of an end copy them). */
    Set<String> askedFor() {
        return channels;
    }

    /** See {@link UserConnection#join}. */
    void join(String channel) {
        if (connection.closing()) {
            // Quitting (the user left while it was still connecting): it goes nowhere any more.
            return;
        }
        if (!BuildsIrcLines.Rules.of(connection.client()).isChannel(channel)) {
            // A portal stored before names were checked: it must not make KICL throw on this connection.
            LOG.warnf("%s does not join '%s' on %s: it is not a channel name there", connection.owner(),
                    IrcNicks.safeText(channel), connection.networkConfig().displayName());
            return;
        }
        if (channels.add(channel.toLowerCase(java.util.Locale.ROOT))) {
            connection.client().addChannel(channel);
        }
    }

    /** See {@link UserConnection#part}. */
    void part(String channel, String reason) {
        channels.remove(channel.toLowerCase(java.util.Locale.ROOT));
        Client c = connection.client();
        if (c != null) {
            try {
                // KICL sends the PART (and forgets the channel): it gets the reason as the line builder cut it.
                c.removeChannel(channel, BuildsIrcLines.line(c, "PART").channel(channel).trailing(reason).build().trailing());
            } catch (IrcLineRefused refused) {
                LOG.warnf("%s cannot part %s: %s", connection.owner(), channel, refused.reason());
            }
        }
    }

    /** See {@link UserConnection#isOn}. */
    boolean isOn(String channel) {
        Client c = connection.client();
        return c != null && c.getChannel(channel).isPresent();
    }

    /** See {@link UserConnection#whenOn}. */
    CompletableFuture<Void> whenOn(String channel) {
        String key = channel.toLowerCase(java.util.Locale.ROOT);
        if (isOn(channel)) {
            return CompletableFuture.completedFuture(null);
        }
        String refusal = refusedJoins.get(key);
        if (refusal != null) {
            return CompletableFuture.failedFuture(new IrcUserConnections.JoinRefusedException(refusal));
        }
        CompletableFuture<Void> arrival = arrivals.computeIfAbsent(key, k -> new CompletableFuture<>());
        if (isOn(channel)) {
            arrival.complete(null);
        } else if (connection.whenEnded().isDone()) {
            // Ended: it will never get there (and neverArrives has already failed the arrivals it knew of).
            arrivals.remove(key, arrival);
            arrival.completeExceptionally(connection.whyItEnded());
        }
        return arrival;
    }

    /** The connection has ended: whoever waits to say something on a channel learns that it will never get there. */
    void neverArrives(Supplier<RuntimeException> why) {
        arrivals.values().forEach(a -> a.completeExceptionally(why.get()));
        arrivals.clear();
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
            arrival.completeExceptionally(new IrcUserConnections.JoinRefusedException(text));
        }
        if (!channels.remove(key)) {
            return;
        }
        connection.client().removeChannel(channel);
        String nick = connection.nick();
        LOG.debugf("%s could not join %s: %d %s", nick, channel, event.getNumeric(), text);
        registry.publish(new IrcEvent.JoinRefused(connection.network(), connection.owner(), channel,
                ChannelRefusal.of(event.getNumeric(), text), text, nick));
    }

    @Handler
    public void kicked(ChannelKickEvent event) {
        if (!event.getTarget().getNick().equals(connection.nick())) {
            return;
        }
        String channel = event.getChannel().getName();
        channels.remove(channel.toLowerCase(java.util.Locale.ROOT));
        connection.client().removeChannel(channel);
        String kicker = event.getActor() instanceof org.kitteh.irc.client.library.element.User u ? u.getNick()
                : event.getActor().getName();
        registry.publish(new IrcEvent.KickedFromChannel(connection.network(), connection.owner(), channel, kicker,
                event.getMessage()));
    }

    @Handler
    public void joined(RequestedChannelJoinCompleteEvent event) {
        LOG.debugf("%s joined %s", connection.nick(), event.getChannel().getName());
        registry.backOnAChannel(connection);
        registry.publish(new IrcEvent.JoinedChannel(connection.network(), connection.owner(), event.getChannel().getName()));
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
}
