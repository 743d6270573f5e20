package net.ircbridge.irc;

import java.util.Map;

/**
 * What happened on an IRC network, as the bridge bot saw it. The bot is on every bridged channel, so its view is
 * the one the bridge mirrors: an event seen by several of the bridge's connections is reported once, from here.
 * Texts (reasons, topics) are as the server sent them; cleaning them for Matrix is the core's business.
 *
 * <p>What only a person's own connection sees (a private message to them, the server refusing one of their lines)
 * is reported by that connection, naming its {@code owner} (the opaque owner id of {@link IrcUserConnections}).
 */
public sealed interface IrcEvent {

    /** The id of the network it happened on. */
    String network();

    /** The bot has the complete member list of a channel (after joining it, or after asking again). */
    record ChannelMembersListed(String network, String channel, Map<String, String> prefixesByNick) implements IrcEvent {
    }

    /** Someone joined a channel. */
    record UserJoinedChannel(String network, String channel, String nick) implements IrcEvent {
    }

    /** Someone left a channel with PART. */
    record UserPartedChannel(String network, String channel, String nick, String reason) implements IrcEvent {
    }

    /** Someone quit the network (all their channels at once). */
    record UserQuit(String network, String nick, String reason) implements IrcEvent {
    }

    /** Someone was kicked from a channel. */
    record UserKicked(String network, String channel, String kicker, String nick, String reason) implements IrcEvent {
    }

    /** Someone changed nick. */
    record NickChanged(String network, String oldNick, String newNick) implements IrcEvent {
    }

    /**
     * Someone's status on a channel changed (op, voice, …): {@code prefix} is the prefix of their highest status
     * now ({@code @}, {@code %}, {@code +}, …), or empty when they have none left.
     */
    record UserStatusChanged(String network, String channel, String nick, String prefix) implements IrcEvent {
    }

    /** A channel's topic is known or changed; {@code setBy} is null when only the current topic was reported. */
    record TopicChanged(String network, String channel, String topic, String setBy) implements IrcEvent {
    }

    /**
     * Someone said something on a channel the bot is on: a {@code PRIVMSG}, a {@code NOTICE} or a CTCP
     * {@code ACTION}. {@code text} is as the server sent it, formatting codes included (without the CTCP framing).
     */
    record MessageSentToChannel(String network, String channel, String nick, MessageKind kind, String text) implements IrcEvent {
    }

    /** Someone sent a private message (or notice, or action) to the nick of {@code owner}'s connection. */
    record PrivateMessageReceived(String network, String owner, String nick, MessageKind kind, String text) implements IrcEvent {
    }

    /**
     * The server refused a line {@code owner}'s connection sent to {@code target} (a channel or a nick): moderated
     * channel without voice, no such nick, not a channel operator for a topic, … {@code reason} is the server's text.
     */
    record LineRefused(String network, String owner, String target, int numeric, String reason) implements IrcEvent {
    }

    /**
     * A channel's modes (other than users' status) are known or changed. {@code modes} holds the letters of every
     * such mode set now ({@code "intR"}, parameters left out); {@code change} is what changed ({@code "+i"}), and
     * {@code setBy} who changed it: both null when the modes were only reported (as when the bot joins).
     */
    record ChannelModeChanged(String network, String channel, String setBy, String change, String modes) implements IrcEvent {
    }

    /** Someone INVITEd the nick of {@code owner}'s connection to a channel. */
    record InvitedToChannel(String network, String owner, String channel, String inviter) implements IrcEvent {
    }

    /** The server answered a KNOCK of {@code owner}'s connection (see {@link KnockAnswer}); {@code text} is the server's. */
    record KnockAnswered(String network, String owner, String channel, KnockAnswer answer, String text) implements IrcEvent {
    }

    /** {@code owner}'s connection is now identified to {@code account} (900), or to none any more (901: null). */
    record AccountChanged(String network, String owner, String account) implements IrcEvent {
    }

    /**
     * The network refused the bot on a bridged channel because the bot is on as many channels as one connection may
     * be (405); {@code text} is the server's.
     */
    record BotOnTooManyChannels(String network, String channel, String text) implements IrcEvent {
    }

    /** {@code owner}'s connection could not log in (902, 904, 905); {@code text} is the server's reason. */
    record LoginRefused(String network, String owner, String text) implements IrcEvent {
    }

    /**
     * The bot cannot connect to the network for a reason an admin must look at (the server's TLS certificate is for
     * another name, or not signed by a trusted CA); said once until it connects again, while it keeps trying with backoff.
     */
    record BotCannotConnect(String network, String reason) implements IrcEvent {
    }

    /**
     * The bot's connection to the network, which was up, is lost: reported once per outage, not for every attempt
     * to reconnect. {@code cause} says how it ended (the server's ERROR, a reset, a ping timeout, ...).
     */
    record NetworkLost(String network, String cause) implements IrcEvent {
    }

    /** The bot is registered on the network again after {@link NetworkLost}. */
    record NetworkBack(String network) implements IrcEvent {
    }

    // ---- what happens to a person's own connection ----

    /** {@code owner}'s connection is registered on the network, as {@code nick} (until {@link OwnNickChanged}). */
    record ConnectionRegistered(String network, String owner, String nick) implements IrcEvent {
    }

    /** {@code owner}'s connection has another nick now (one it asked for, or one the server gave it). */
    record OwnNickChanged(String network, String owner, String oldNick, String newNick) implements IrcEvent {
    }

    /** {@code owner}'s connection is on a channel it asked to join. */
    record JoinedChannel(String network, String owner, String channel) implements IrcEvent {
    }

    /**
     * A channel refused the JOIN of {@code owner}'s connection (as {@code nick}): {@code refusal} is the kind,
     * {@code text} the server's words.
     */
    record JoinRefused(String network, String owner, String channel, ChannelRefusal refusal, String text, String nick)
            implements IrcEvent {
    }

    /** Someone kicked {@code owner}'s connection from a channel. */
    record KickedFromChannel(String network, String owner, String channel, String kicker, String reason) implements IrcEvent {
    }

    /**
     * {@code owner}'s connection dropped, and will not come back by itself; trying again may help. {@code nick} is
     * the nick it had (null if it never registered), {@code channels} those it was on, {@code reason} how it ended.
     */
    record ConnectionLost(String network, String owner, String nick, String reason, java.util.Set<String> channels)
            implements IrcEvent {
        public ConnectionLost {
            channels = java.util.Set.copyOf(channels);
        }
    }

    /**
     * {@code owner}'s connection ended for a reason trying again cannot help (see {@link IrcConnectionFailed}): a
     * ban, refused credentials, a server certificate that is not the server's. Fields as {@link ConnectionLost}'s.
     */
    record ConnectionFailed(String network, String owner, String nick, String reason, java.util.Set<String> channels)
            implements IrcEvent {
        public ConnectionFailed {
            channels = java.util.Set.copyOf(channels);
        }
    }

    /**
     * The reconnect scheduled for {@code owner}'s connection (see {@link SchedulesUsersReconnects}) is due, for
     * {@code channels}: the core connects them again to those that still wait for them, or says it won't.
     */
    record ReconnectDue(String network, String owner, java.util.Set<String> channels) implements IrcEvent {
        public ReconnectDue {
            channels = java.util.Set.copyOf(channels);
        }
    }

    /** The bridge closed {@code owner}'s connection: they left every room of the network, or the bridge stops. */
    record ConnectionClosed(String network, String owner, String nick, String reason) implements IrcEvent {
    }
}
