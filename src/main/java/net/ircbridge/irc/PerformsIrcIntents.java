package net.ircbridge.irc;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The one way the core asks something of IRC: it hands an {@link IrcIntent} to {@link #perform}, which does it on the
 * connection it names (a person's, through {@link IrcUserConnections}; the bot's, through
 * {@link KeepsTheBotOnEachNetwork}) or has the reconnect scheduled ({@link SchedulesUsersReconnects}).
 *
 * <p>What the core reads back (a connection's nick, its channels, whether a channel exists) is read through
 * {@link ShowsIrcState} and {@link UserConnectionView}, which change nothing.
 */
@ApplicationScoped
public class PerformsIrcIntents {

    private final IrcUserConnections connections;
    private final KeepsTheBotOnEachNetwork bots;
    private final SchedulesUsersReconnects reconnects;

    public PerformsIrcIntents(IrcUserConnections connections, KeepsTheBotOnEachNetwork bots, SchedulesUsersReconnects reconnects) {
        this.connections = connections;
        this.bots = bots;
        this.reconnects = reconnects;
    }

    /**
     * Does what the intent asks.
     *
     * @return completes once it had its effect: at once for most; for {@link IrcIntent.Connect} once the connection is
     *         registered, for {@link IrcIntent.Say} and {@link IrcIntent.SetTopic} once the lines have left the
     *         connection's token bucket for the socket. How each fails is said on its record.
     * @throws IrcLineRefused where the intent's record says so: a name that cannot be put on an IRC line (nothing is
     *         sent)
     */
    public CompletableFuture<Void> perform(IrcIntent intent) {
        if (intent instanceof IrcIntent.Connect connect) {
            return connect(connect).thenApply(connection -> null);
        }
        if (intent instanceof IrcIntent.ForConnection forConnection) {
            return performOn(forConnection);
        }
        if (intent instanceof IrcIntent.ReconnectLater later) {
            reconnects.reconnectLater(later.network(), later.owner(), later.channels());
        } else if (intent instanceof IrcIntent.ForgetReconnects forget) {
            reconnects.forget(forget.network(), forget.owner());
        } else if (intent instanceof IrcIntent.BotJoin join) {
            bots.joinChannel(join.network(), join.channel());
        } else if (intent instanceof IrcIntent.BotInvite invite) {
            bots.invite(invite.network(), invite.nick(), invite.channel());
        } else if (intent instanceof IrcIntent.PauseReading pause) {
            bots.pauseReading(pause.network());
        } else if (intent instanceof IrcIntent.ResumeReading resume) {
            bots.resumeReading(resume.network());
        } else {
            throw new IllegalArgumentException("no way to perform " + intent);
        }
        return done();
    }

    /**
     * Performs {@link IrcIntent.Connect}, with the connection it made (or found) as its result.
     *
     * @return completes with the connection once it is registered; fails as {@link IrcIntent.Connect} says
     */
    public CompletableFuture<UserConnectionView> connect(IrcIntent.Connect connect) {
        IrcUserConnections.Login login = connect.account() == null ? null
                : new IrcUserConnections.Login(connect.account(), connect.password());
        return connections.connect(connect.network(), connect.owner(), connect.desiredNick(), connect.fallbackNick(), login);
    }

    /** The QUIT message of every person's connection when the bridge stops (a setting, not a request). */
    public void setStopReason(String reason) {
        connections.setShutdownReason(reason);
    }

    private CompletableFuture<Void> performOn(IrcIntent.ForConnection intent) {
        Optional<UserConnection> found = connections.connectionFor(intent);
        if (found.isEmpty()) {
            // Ended: nothing reaches it any more, and what was to be said there fails as it ended.
            return intent instanceof IrcIntent.Say || intent instanceof IrcIntent.SetTopic
                    ? CompletableFuture.failedFuture(connections.whyItEnded(intent)) : done();
        }
        UserConnection c = found.get();
        if (intent instanceof IrcIntent.Say say) {
            return c.send(say.target(), say.kind(), say.lines());
        }
        if (intent instanceof IrcIntent.SetTopic topic) {
            return c.setTopic(topic.channel(), topic.topic());
        }
        if (intent instanceof IrcIntent.Join join) {
            c.join(join.channel());
        } else if (intent instanceof IrcIntent.Part part) {
            c.part(part.channel(), part.reason());
        } else if (intent instanceof IrcIntent.ChangeNick nick) {
            c.changeNick(nick.desired(), nick.fallback());
        } else if (intent instanceof IrcIntent.Kick kick) {
            c.kick(kick.channel(), kick.nick(), kick.reason());
        } else if (intent instanceof IrcIntent.Ban ban) {
            c.ban(ban.channel(), ban.nick());
        } else if (intent instanceof IrcIntent.Quit quit) {
            c.quit(quit.reason());
        } else if (intent instanceof IrcIntent.Knock knock) {
            c.knock(knock.channel(), knock.reason());
        } else if (intent instanceof IrcIntent.Invite invite) {
            c.invite(invite.nick(), invite.channel());
        } else if (intent instanceof IrcIntent.Identify identify) {
            c.identify(identify.servicesNick(), identify.account(), identify.password());
        } else if (intent instanceof IrcIntent.Logout logout) {
            c.logout(logout.servicesNick());
        } else {
            throw new IllegalArgumentException("no way to perform " + intent);
        }
        return done();
    }

    /** Done at once: a future of its own for each caller, who may wait on it as they like. */
    private static CompletableFuture<Void> done() {
        return CompletableFuture.completedFuture(null);
    }
}
