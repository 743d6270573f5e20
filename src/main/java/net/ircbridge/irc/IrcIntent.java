package net.ircbridge.irc;

import java.util.List;
import java.util.Set;

/**
 * What the core asks of IRC, as plain records named for the request: the other half of {@link IrcEvent}. Each
 * carries the id of the network it is for and, for a person's connection, the opaque {@code owner} id (see
 * {@link IrcUserConnections}), and otherwise only plain data (strings, numbers, {@link MessageKind}, lists and sets
 * of strings), so that an intent could be written down and performed elsewhere. {@link PerformsIrcIntents} performs
 * them.
 *
 * <p>An intent for a connection that is up names it by {@code connection}, its {@link UserConnectionView#number()}:
 * the one the core looked at, so that a line meant for a connection that has ended meanwhile is not said by the
 * owner's next one (which may not be on the channel yet). An intent for a connection that has ended does what a
 * request to an ended connection always did: nothing, or, for what says something, fail as that connection ended.
 *
 * <p>No secret (a password) ever appears in an intent's {@code toString}.
 */
public sealed interface IrcIntent {

    /** The id of the network the intent is for. */
    String network();

    /** An intent for one person's connection to a network. */
    sealed interface ForUser extends IrcIntent {
        /** The opaque id of the person whose connection it is. */
        String owner();
    }

    /** An intent for a person's connection that is up: the one numbered {@code connection}. */
    sealed interface ForConnection extends ForUser {
        /** Which of the owner's connections it is for (see {@link UserConnectionView#number()}). */
        long connection();
    }

    // ---- a person's connection ----

    /**
     * Connect {@code owner} to the network, with a nick made from {@code desiredNick} ({@code fallbackNick} when
     * that makes none), unless they have a connection there already; identify the new connection to
     * {@code account} with SASL while it registers when {@code account} is not null. Done once the connection
     * (the new one, or the one there was) is registered; fails with {@link IrcConnectionFailed} when it cannot be
     * made or ends first, or {@link IrcUserConnections.BridgeStopping} when the bridge stops.
     */
    record Connect(String network, String owner, String desiredNick, String fallbackNick, String account, String password)
            implements ForUser {

        /** Connect without identifying to an account. */
        public Connect(String network, String owner, String desiredNick, String fallbackNick) {
            this(network, owner, desiredNick, fallbackNick, null, null);
        }

        @Override
        public String toString() {
            return "Connect[network=" + network + ", owner=" + owner + ", desiredNick=" + desiredNick + ", fallbackNick="
                    + fallbackNick + ", account=" + account + "]"; // never the password
        }
    }

    /** Join a channel (nothing happens if the connection is on it, or asked for it, already). */
    record Join(String network, String owner, long connection, String channel) implements ForConnection {

        /** For the connection {@code c}. */
        public Join(UserConnectionView c, String channel) {
            this(c.network(), c.owner(), c.number(), channel);
        }
    }

    /** Leave a channel with a reason (CR, LF and NUL removed, cut to fit the line). */
    record Part(String network, String owner, long connection, String channel, String reason) implements ForConnection {

        /** For the connection {@code c}. */
        public Part(UserConnectionView c, String channel, String reason) {
            this(c.network(), c.owner(), c.number(), channel, reason);
        }
    }

    /** Ask for another nick, made from {@code desired} (or {@code fallback}) by the network's rules. */
    record ChangeNick(String network, String owner, long connection, String desired, String fallback)
            implements ForConnection {

        /** For the connection {@code c}. */
        public ChangeNick(UserConnectionView c, String desired, String fallback) {
            this(c.network(), c.owner(), c.number(), desired, fallback);
        }
    }

    /**
     * Kick {@code nick} from a channel with a reason (CR, LF and NUL removed, cut to fit the line). Performing it
     * throws {@link IrcLineRefused} when the nick or the channel cannot be named on IRC (nothing is sent).
     */
    record Kick(String network, String owner, long connection, String channel, String nick, String reason)
            implements ForConnection {

        /** For the connection {@code c}. */
        public Kick(UserConnectionView c, String channel, String nick, String reason) {
            this(c.network(), c.owner(), c.number(), channel, nick, reason);
        }
    }

    /**
     * Ban {@code nick} from a channel ({@code nick!*@*}). Performing it throws {@link IrcLineRefused} when the nick is
     * no nick (a mask such as {@code *}) or the channel no channel: nothing is sent, so a ban never covers everyone.
     */
    record Ban(String network, String owner, long connection, String channel, String nick) implements ForConnection {

        /** For the connection {@code c}. */
        public Ban(UserConnectionView c, String channel, String nick) {
            this(c.network(), c.owner(), c.number(), channel, nick);
        }
    }

    /**
     * Close the connection with a reason, after the lines already queued on it. Its end is told as
     * {@link IrcEvent.ConnectionClosed}; {@link UserConnectionView#whenEnded()} completes then.
     */
    record Quit(String network, String owner, long connection, String reason) implements ForConnection {

        /** For the connection {@code c}. */
        public Quit(UserConnectionView c, String reason) {
            this(c.network(), c.owner(), c.number(), reason);
        }
    }

    /**
     * Say lines to a channel or a nick, in order, through the connection's token bucket. Done once the lines have
     * left the bucket for the socket; fails with {@link IrcConnectionFailed} if the connection ends first (or has
     * ended, or is quitting), or {@link IrcUserConnections.BridgeStopping} if it ends because the bridge stops.
     * Performing it throws {@link IrcLineRefused} when {@code target} cannot be named on IRC (nothing is sent).
     */
    record Say(String network, String owner, long connection, String target, MessageKind kind, List<String> lines)
            implements ForConnection {

        /** For the connection {@code c}. */
        public Say(UserConnectionView c, String target, MessageKind kind, List<String> lines) {
            this(c.network(), c.owner(), c.number(), target, kind, lines);
        }

        public Say {
            lines = List.copyOf(lines);
        }
    }

    /**
     * Set a channel's topic (CR, LF and NUL removed, cut to fit the line). Done and failed as {@link Say}; performing
     * it throws {@link IrcLineRefused} when the channel cannot be named on IRC.
     */
    record SetTopic(String network, String owner, long connection, String channel, String topic) implements ForConnection {

        /** For the connection {@code c}. */
        public SetTopic(UserConnectionView c, String channel, String topic) {
            this(c.network(), c.owner(), c.number(), channel, topic);
        }
    }

    /** Ask a channel's operators to let the connection in ({@code KNOCK}), with a reason cut to fit the line. */
    record Knock(String network, String owner, long connection, String channel, String reason) implements ForConnection {

        /** For the connection {@code c}. */
        public Knock(UserConnectionView c, String channel, String reason) {
            this(c.network(), c.owner(), c.number(), channel, reason);
        }
    }

    /**
     * INVITE {@code nick} to a channel (which takes channel operator status on an invite-only channel). Performing it
     * throws {@link IrcLineRefused} when the nick or the channel cannot be named on IRC.
     */
    record Invite(String network, String owner, long connection, String nick, String channel) implements ForConnection {

        /** For the connection {@code c}. */
        public Invite(UserConnectionView c, String nick, String channel) {
            this(c.network(), c.owner(), c.number(), nick, channel);
        }
    }

    /**
     * Identify the connection, already registered, to {@code account} with the network's services (the message
     * {@code IDENTIFY account password} to {@code servicesNick}). A network reached without TLS where secrets may not
     * go in plain text gets nothing, and {@link IrcEvent.LoginRefused} says why.
     */
    record Identify(String network, String owner, long connection, String servicesNick, String account, String password)
            implements ForConnection {

        /** For the connection {@code c}. */
        public Identify(UserConnectionView c, String servicesNick, String account, String password) {
            this(c.network(), c.owner(), c.number(), servicesNick, account, password);
        }

        @Override
        public String toString() {
            return "Identify[network=" + network + ", owner=" + owner + ", connection=" + connection + ", servicesNick="
                    + servicesNick + ", account=" + account + "]"; // never the password
        }
    }

    /** Log the connection out of its account with the network's services ({@code LOGOUT} to {@code servicesNick}). */
    record Logout(String network, String owner, long connection, String servicesNick) implements ForConnection {

        /** For the connection {@code c}. */
        public Logout(UserConnectionView c, String servicesNick) {
            this(c.network(), c.owner(), c.number(), servicesNick);
        }
    }

    // ---- reconnecting a person's connection ----

    /**
     * {@code owner}'s connection dropped, or an attempt to make it again failed: tell {@link IrcEvent.ReconnectDue}
     * after the wait their failures in a row make, with {@code channels} (and any asked for meanwhile).
     */
    record ReconnectLater(String network, String owner, Set<String> channels) implements ForUser {
        public ReconnectLater {
            channels = Set.copyOf(channels);
        }
    }

    /** No reconnect of {@code owner}'s connection is wanted any more: forget their failures in a row. */
    record ForgetReconnects(String network, String owner) implements ForUser {
    }

    // ---- the bridge's bot ----

    /** Put the bot on a channel, now if it is connected and again after every reconnect. */
    record BotJoin(String network, String channel) implements IrcIntent {
    }

    /**
     * The bot INVITEs {@code nick} to a channel (nothing is sent while the bot is not connected). Performing it throws
     * {@link IrcLineRefused} when the nick or the channel cannot be named on IRC.
     */
    record BotInvite(String network, String nick, String channel) implements IrcIntent {
    }

    /**
     * Stop reading from the bot's connection (back-pressure: what it would read has nowhere to go yet); the
     * connection stays up. Idempotent, kept across reconnects.
     */
    record PauseReading(String network) implements IrcIntent {
    }

    /** Read from the bot's connection again after {@link PauseReading}. */
    record ResumeReading(String network) implements IrcIntent {
    }
}
