package net.ircbridge.irc;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * What the core may read of IRC: people's connections (as {@link UserConnectionView}s), and what the bot knows of
 * each network. Nothing here changes anything on IRC; what the core wants done is an {@link IrcIntent} for
 * {@link PerformsIrcIntents}.
 */
@ApplicationScoped
public class ShowsIrcState {

    private final IrcUserConnections connections;
    private final KeepsTheBotOnEachNetwork bots;

    public ShowsIrcState(IrcUserConnections connections, KeepsTheBotOnEachNetwork bots) {
        this.connections = connections;
        this.bots = bots;
    }

    /** The owner's connection to a network, if they have one (one that is quitting is theirs no more). */
    public Optional<UserConnectionView> find(String network, String owner) {
        return connections.find(network, owner);
    }

    /** The connections to a network, each of an owner. */
    public List<UserConnectionView> onNetwork(String network) {
        return connections.onNetwork(network);
    }

    /**
     * The owner's connection to a network: the one there is (unless it is {@code ended}), or the next one made, by
     * whatever makes it. Makes none itself.
     *
     * @return fails with {@link java.util.concurrent.TimeoutException} if none is made {@code within}, or with
     *         {@link IrcUserConnections.BridgeStopping} when the bridge stops
     */
    public CompletableFuture<UserConnectionView> nextConnection(String network, String owner, UserConnectionView ended,
            Duration within) {
        return connections.nextConnection(network, owner, ended, within);
    }

    /** Whether a nick can be the target of a line on a network (see {@link IrcNicks#isSafeTarget}). */
    public boolean isNickTarget(String network, String nick) {
        return connections.isNickTarget(network, nick);
    }

    /** Whether {@code name} is a channel name on the network, by the rules its server announced to the bot. */
    public boolean isChannelName(String network, String name) {
        return bots.isChannelName(network, name);
    }

    /**
     * Whether the channel exists on the network now: a question the bot asks the server ({@code MODE}), which
     * changes nothing there. Answers false when the bot is not connected in time, the server does not answer in
     * time, or too many questions are open already.
     */
    public CompletableFuture<Boolean> channelExists(String network, String channel) {
        return bots.channelExists(network, channel);
    }

    /** Whether the bot is a channel operator (halfop and up) on the channel, and so may INVITE past {@code +i}. */
    public boolean isBotChannelOperator(String network, String channel) {
        return bots.isChannelOperator(network, channel);
    }
}
