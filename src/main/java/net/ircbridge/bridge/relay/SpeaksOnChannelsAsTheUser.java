package net.ircbridge.bridge.relay;

import net.ircbridge.bridge.Failures;
import net.ircbridge.bridge.UserLanes;
import net.ircbridge.bridge.UserOnNetwork;

import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import net.ircbridge.irc.IrcConnectionFailed;
import net.ircbridge.irc.IrcLineRefused;
import net.ircbridge.irc.IrcIntent;
import net.ircbridge.irc.IrcUserConnections;
import net.ircbridge.irc.PerformsIrcIntents;
import net.ircbridge.irc.ShowsIrcState;
import net.ircbridge.irc.UserConnectionView;
import net.ircbridge.store.PortalRoomStore.PortalRoom;
import org.jboss.logging.Logger;

/**
 * What a Matrix user says on a channel (a message's lines, a topic) goes out through their own connection, on their
 * own queue, once that connection is registered and on the channel; the room is told when it cannot. Shared by the
 * behaviours that speak for a user, so that they wait, retry and fail alike.
 *
 * <p>Waiting: a user without a connection yet (the bridge is starting, or reconnecting them) is waited for, as one
 * whose connection is still joining the channel is, up to {@link #WAIT_SECONDS} seconds from the line's turn in the
 * user's queue. A connection that ends before the lines have left (a reconnect will make another) is replaced by
 * the next one within the same time; a line that left just before the end may then be said twice, which is better
 * than not at all.
 *
 * <p>The user's queue holds up only that user: the room's lane never waits for a user's connection or token bucket.
 */
@ApplicationScoped
public class SpeaksOnChannelsAsTheUser {

    private static final Logger LOG = Logger.getLogger(SpeaksOnChannelsAsTheUser.class);
    /** How long what a user says waits for their connection to be registered and on the channel. */
    static final int WAIT_SECONDS = 30;

    private final ShowsIrcState connections;
    private final PerformsIrcIntents irc;
    private final UserLanes lanes;
    private final SaysWhyMessagesDidNotReachIrc failures;

    public SpeaksOnChannelsAsTheUser(ShowsIrcState connections, PerformsIrcIntents irc, UserLanes lanes,
            SaysWhyMessagesDidNotReachIrc failures) {
        this.connections = connections;
        this.irc = irc;
        this.lanes = lanes;
        this.failures = failures;
    }

    /**
     * Says something on the room's channel as the user, on the user's queue.
     *
     * @param what  what is said, for the log ("message", "topic")
     * @param lines sends the lines through a connection that is on the channel; completes once they have left its
     *              token bucket for the socket
     * @return completes once the lines have left, or the reason they did not was sent to the room; fails with a
     *         {@link RejectedExecutionException} when the bridge stops first (the event is then neither done nor
     *         failed, and is handled again after the next start)
     */
    public CompletableFuture<Void> say(PortalRoom room, String user, String eventId, String what,
            Function<UserConnectionView, CompletableFuture<Void>> lines) {
        String network = room.network();
        String channel = room.channel();
        CompletableFuture<CompletableFuture<Void>> outcome = lanes.submit(new UserOnNetwork(user, network), () -> {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_SECONDS);
            return attempt(room, user, eventId, what, lines, null, deadline).handle((sent, failure) -> {
                if (failure == null) {
                    return CompletableFuture.<Void>completedFuture(null);
                }
                Throwable cause = Failures.cause(failure);
                if (cause instanceof RejectedExecutionException) {
                    return CompletableFuture.<Void>failedFuture(cause);
                }
                LOG.debugf("%s's %s %s did not reach %s: %s", user, what, eventId, channel, cause.toString());
                // The answer is waited for outside the user's queue: their next line need not wait for the homeserver.
                if (cause instanceof IrcLineRefused refused) {
                    return failures.cannotName(network, user, refused.value(), room.roomId(), eventId);
                }
                if (cause instanceof NotConnectedInTime) {
                    return failures.notConnected(network, user, channel, room.roomId(), eventId, null);
                }
                if (cause instanceof TimeoutException || cause instanceof IrcUserConnections.JoinRefusedException) {
                    return failures.notOnChannel(network, user, channel, room.roomId(), eventId,
                            cause instanceof TimeoutException ? null : cause.getMessage());
                }
                return failures.notConnected(network, user, channel, room.roomId(), eventId, reasonOf(cause));
            });
        });
        return outcome.thenCompose(answer -> answer);
    }

    /**
     * As {@link #say}, for what one intent says (a topic): made for the connection that is on the channel, and
     * performed on it.
     */
    public CompletableFuture<Void> perform(PortalRoom room, String user, String eventId, String what,
            Function<UserConnectionView, IrcIntent> intent) {
        return say(room, user, eventId, what, c -> irc.perform(intent.apply(c)));
    }

    /**
     * One try: on the user's connection (the next one made, if they have none, or only {@code ended}), once it is
     * registered and on the channel; again on the next connection if this one ends before the lines have left.
     */
    private CompletableFuture<Void> attempt(PortalRoom room, String user, String eventId, String what,
            Function<UserConnectionView, CompletableFuture<Void>> lines, UserConnectionView ended, long deadline) {
        String network = room.network();
        String channel = room.channel();
        AtomicReference<UserConnectionView> used = new AtomicReference<>();
        return connections.nextConnection(network, user, ended, Duration.ofNanos(remaining(deadline)))
                .thenCompose(c -> {
                    used.set(c);
                    return c.ready().copy().orTimeout(remaining(deadline), TimeUnit.NANOSECONDS);
                })
                .exceptionallyCompose(failure -> CompletableFuture.failedFuture(
                        Failures.cause(failure) instanceof TimeoutException ? new NotConnectedInTime() : Failures.cause(failure)))
                .thenCompose(c -> c.whenOn(channel).copy().orTimeout(remaining(deadline), TimeUnit.NANOSECONDS).thenApply(on -> c))
                .thenCompose(c -> {
                    failures.sent(network, user, channel, room.roomId(), eventId);
                    return lines.apply(c);
                })
                .exceptionallyCompose(failure -> {
                    Throwable cause = Failures.cause(failure);
                    if (cause instanceof IrcConnectionFailed f && !f.permanent() && used.get() != null && remaining(deadline) > 1) {
                        LOG.debugf("%s's connection to %s ended before %s %s left; waiting for the next one", user, network, what,
                                eventId);
                        return attempt(room, user, eventId, what, lines, used.get(), deadline);
                    }
                    return CompletableFuture.failedFuture(cause);
                });
    }

    /** Nanoseconds left until a deadline of {@link System#nanoTime()}, at least 1. */
    private static long remaining(long deadline) {
        return Math.max(1, deadline - System.nanoTime());
    }

    /** No connection for the user was made (or registered) in time. */
    private static final class NotConnectedInTime extends RuntimeException {
        NotConnectedInTime() {
            super("no connection in time", null, false, false);
        }
    }

    /** Why a connection could not be used, in the server's words when it gave any. */
    static String reasonOf(Throwable cause) {
        return cause instanceof IrcConnectionFailed f ? f.reason() : null;
    }
}
