package net.ircbridge.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/**
 * The bridge's own words: the reasons it gives for the membership changes it makes, and what it tells users.
 * Placeholders in braces are filled in; the defaults read well in any client.
 */
@ConfigMapping(prefix = "texts")
public interface TextsConfig {

    /** Reason of a ghost's join. {channel}, {network}. */
    @WithDefault("Joined {channel} on {network}")
    String ghostJoined();

    /** Reason of a ghost's leave when the PART had no message. {channel}, {network}. */
    @WithDefault("Left {channel}")
    String ghostParted();

    /** Reason of a ghost's leave when the QUIT had no message. {network}. */
    @WithDefault("Quit IRC")
    String ghostQuit();

    /** Reason of a ghost's leave when its nick changed (the new nick's ghost joins). {nick}: the new nick. */
    @WithDefault("Now known as {nick}")
    String ghostRenamed();

    /** Reason of a ghost's leave when NAMES no longer lists it (it left while the bot was away). {channel}. */
    @WithDefault("Not on {channel} any more")
    String ghostGone();

    /**
     * What the bot says in a room whose channel has more IRC users than {@code max-mirrored-members}. {channel},
     * {network}, {limit}: the users mirrored, {count}: the users the bridge knows of (a huge channel's NAMES is
     * tracked only up to twice the limit, so this is not the channel's size).
     */
    @WithDefault("{channel} on {network} has more users than this room shows: it shows only {limit} of them, and the others speak through the bridge bot.")
    String membersNotMirrored();

    /**
     * What the bot says in each of a network's rooms when its own connection to the network is lost (once, however
     * often it then tries again). {network}, {cause}.
     */
    @WithDefault("The bridge lost its connection to {network} ({cause}). Nothing from IRC reaches this room until it is back; the bridge keeps trying.")
    String networkLost();

    /** What the bot says in a room that dropped lines from IRC past {@code relay.max-queued-irc-lines}. {count}, {channel}. */
    @WithDefault("{count} lines from {channel} came faster than this room could take them and were dropped.")
    String ircLinesDropped();

    /** What the bot says in each of a network's rooms when its connection is back after {@code network-lost}. {network}. */
    @WithDefault("The bridge is connected to {network} again.")
    String networkBack();

    /** Reason of a kick the bot makes for an IRC operator whose ghost lacks the power. {kicker}, {reason}. */
    @WithDefault("Kicked by {kicker}: {reason}")
    String kickedOnIrc();

    /** The bot's reason for joining a room mapped to a channel. {channel}, {network}. */
    @WithDefault("Bridging {channel} on {network}")
    String bridging();

    /** PART message when a Matrix user leaves without a reason. */
    @WithDefault("Left the Matrix room")
    String matrixUserLeft();

    /** PART message when a Matrix user is kicked from the room. {kicker}, {reason}. */
    @WithDefault("Kicked by {kicker}: {reason}")
    String kickedOnMatrix();

    /** QUIT message when a Matrix user has left every bridged room of a network. */
    @WithDefault("Left every bridged room")
    String matrixUserQuit();

    /**
     * Reason of a soft kick when a Matrix user's IRC connection drops. {network}, {cause}. It must read well in
     * clients that don't know soft kicks, where it looks like an ordinary kick.
     */
    @WithDefault("Your IRC connection to {network} was lost ({cause}). You will be invited back as soon as it is restored.")
    String softKick();

    /** Reason of the invite back once the connection is restored. {network}. */
    @WithDefault("Your IRC connection to {network} is back.")
    String inviteBack();

    /** Told in the room when a Matrix user without IRC operator status kicks or bans an IRC user. {kicker}, {nick}, {channel}. */
    @WithDefault("{kicker}: you are not a channel operator on {channel}, so {nick} is still on IRC.")
    String notAnIrcOperator();

    /**
     * Told in the room when a Matrix user kicks, bans or messages a ghost (or names a channel) that cannot be named
     * on IRC, such as one whose user id decodes to a mask ({@code *}, {@code *!*@*}) or holds a space: nothing is
     * sent. {user}, {target}, {network}.
     */
    @WithDefault("{user}: nothing was sent to {network}: {target} is not a name the bridge can use on IRC.")
    String notAnIrcName();

    /**
     * Reason of the plain kick when the IRC server refuses a Matrix user for good (K-, G- or Z-line, banned,
     * refused credentials); the bridge then stops trying. {network}, {cause}.
     */
    @WithDefault("The IRC network {network} refused your connection ({cause}). The bridge will not try again: ask the network's operators about it, then join this room again.")
    String refusedByNetwork();

    /** Reason of the plain kick when a channel bans a Matrix user (474). {channel}, {network}, {cause}. */
    @WithDefault("You are banned from {channel} on {network} ({cause}). Ask a channel operator to lift the ban, then join this room again.")
    String bannedFromChannel();

    /** Reason of the soft kick when a channel is invite-only (473). {channel}, {network}, {nick}. */
    @WithDefault("{channel} on {network} is invite-only. Knock on this room or ask a channel operator to invite {nick}, then join again.")
    String channelInviteOnly();

    /** Reason of the soft kick when a channel needs a key (475). {channel}, {network}, {nick}. */
    @WithDefault("{channel} on {network} needs a key, which the bridge cannot give. Ask a channel operator to invite {nick}, then join again.")
    String channelNeedsKey();

    /** Reason of the soft kick when a channel is full (471). {channel}, {network}. */
    @WithDefault("{channel} on {network} is full. Join this room again later.")
    String channelFull();

    /** Reason of the soft kick when a channel admits only identified users (477). {channel}, {network}, {nick}. */
    @WithDefault("{channel} on {network} admits only users identified to an account. Identify {nick} with the network's services, then join again.")
    String channelRegisteredOnly();

    /** Reason of the soft kick when a channel refuses a join for another reason, after retries. {channel}, {network}, {cause}. */
    @WithDefault("{channel} on {network} did not let you in ({cause}). Join this room again to try once more.")
    String channelRefused();

    /** Reason of the soft kick of a Matrix user disconnected for being idle. {network}, {idle}: how long, e.g. "30 days". */
    @WithDefault("You were disconnected from {network} after {idle} without activity. Join this room again to reconnect.")
    String idleSoftKick();

    /** QUIT message of an idle Matrix user's connection. {idle}. */
    @WithDefault("Idle for {idle}")
    String idleQuit();

    /**
     * Said once in a room (and to the bridge's admins) when the bot lacks the power to remove a Matrix user who is
     * no longer on the channel. {user}, {channel}, {network}, {bot}.
     */
    @WithDefault("I cannot keep this room private: {user} is no longer on {channel} on {network}, but I lack the power to remove them. Give {bot} the power to kick, or IRC users cannot trust who reads this room.")
    String cannotKeepPrivate();

    /** QUIT message of every connection when the bridge shuts down. */
    @WithDefault("The Matrix bridge is restarting")
    String bridgeStopping();

    /** Told to a Matrix user in their admin room when their connection to a network was refused for good. {network}, {cause}. */
    @WithDefault("Your IRC connection to {network} was refused: {cause}. The bridge will not try again until you join a bridged room of {network} again.")
    String refusedByNetworkNotice();

    /**
     * Reason of the soft kick of a Matrix user joined to a room whose IRC connection is not on the channel within
     * the grace period. {channel}, {network}, {seconds}.
     */
    @WithDefault("You are not on {channel} on {network} yet, so you cannot read it here. You will be invited back as soon as your IRC connection is ready.")
    String notOnChannelYet();

    /**
     * Answer in the room to a Matrix message that could not be sent because its sender has no IRC connection.
     * {user}, {target}: the channel or nick, {network}, {reason}: why, when a connection was tried.
     */
    @WithDefault("{user}: your message was not sent to {target}: you are not connected to {network}: {reason}")
    String notConnected();

    /**
     * Answer in the room to a Matrix message that could not be sent because its sender's connection is not on the
     * channel (it could not join, or has not yet). {user}, {target}, {network}, {reason}: the server's, if it refused
     * the join.
     */
    @WithDefault("{user}: your message was not sent to {target}: your IRC connection is not on it: {reason}")
    String notOnChannel();

    /** Answer in the room when the IRC server refused a Matrix user's line. {user}, {target}, {network}, {reason}. */
    @WithDefault("{user}: {network} refused your message to {target}: {reason}")
    String refusedByIrc();

    /**
     * Answer in the room to a Matrix event the bridge could not handle: it failed for longer than
     * {@code relay.retry-failed-events-for}, or it failed in a way no retry mends. {user}, {reason}: what failed, in a
     * few words.
     */
    @WithDefault("{user}: the bridge could not pass this on and has given up: {reason}. Please try again later.")
    String notHandled();

    /** Notice when the bot sets a topic for an IRC user whose ghost may not set it. {nick}, {channel}. */
    @WithDefault("{nick} changed the topic on IRC.")
    String topicChangedOnIrc();

    /**
     * The one IRC line of a Matrix message too long for {@code relay.max-lines}: {line} is its first line (cut to
     * fit), {url} the link to the whole text.
     */
    @WithDefault("{line} (full message: {url})")
    String longMessage();

    /** Reason of an IRC user's ghost joining a direct chat a Matrix user invited it to. {nick}, {network}. */
    @WithDefault("Private messages with {nick} on {network}")
    String directChat();

    /** Reason of an IRC user's ghost declining an invite to a room that is not a direct chat. {nick}. */
    @WithDefault("{nick} is on IRC: IRC users join direct chats only; rooms are bridged to channels through their aliases.")
    String notDirectChat();

    /** Reason of an IRC user's ghost leaving a direct chat its Matrix user left. {nick}. */
    @WithDefault("The direct chat has ended")
    String directChatEnded();

    /**
     * How a Matrix reply reads on IRC: {nick} said the original, {quote} is its start (relay.reply-quote-length
     * characters), {text} the reply.
     */
    @WithDefault("{nick}: \"{quote}\" <- {text}")
    String reply();

    /** How a Matrix edit reads on IRC, where a line cannot change: {text} is the corrected message. */
    @WithDefault("* {text}")
    String edit();

    /** The action a Matrix reaction becomes on IRC (relay.reactions): {reaction}, {nick}, {quote}. */
    @WithDefault("reacted with {reaction} to {nick}: \"{quote}\"")
    String reaction();

    /** Notice when a channel becomes invite-only or keyed and its room takes knocks. {nick}, {mode}, {channel}, {network}. */
    @WithDefault("{nick} set {mode} on {channel} on IRC: the room now takes knocks. Knock to ask the channel's operators to let you in.")
    String joinRuleKnock();

    /** Notice when a channel is open again and its room has the network's default join rule. {nick}, {mode}, {channel}, {network}, {rule}. */
    @WithDefault("{nick} set {mode} on {channel} on IRC: the room's join rule is {rule} again.")
    String joinRuleDefault();

    /** Notice when a channel admits only identified users and its room becomes restricted. {nick}, {mode}, {channel}, {network}. */
    @WithDefault("{nick} set {mode} on {channel} on IRC: only users whose IRC connection is identified to an account on {network} may join the room now.")
    String joinRuleRestricted();

    /** The KNOCK message on IRC when a Matrix user knocked without a reason. {user}: their Matrix id, {nick}, {channel}. */
    @WithDefault("{user} knocked from Matrix")
    String knockWithoutReason();

    /** Reason of the bot's invite when the knocked-on channel is not invite-only (713). {channel}, {network}. */
    @WithDefault("{channel} on {network} is not invite-only: come in.")
    String knockChannelOpen();

    /** Reason of the bot's invite when the knocker is on the channel already (714). {channel}, {network}. */
    @WithDefault("You are on {channel} on {network} already: come in.")
    String knockAlreadyOnChannel();

    /** Reason of the declined knock when the channel takes no knocks (480, +K). {channel}, {network}, {nick}, {cause}. */
    @WithDefault("{channel} on {network} does not take knocks ({cause}). Ask a channel operator to invite {nick} on IRC.")
    String knockNotAllowed();

    /** Reason of the declined knock when the network has no KNOCK command (421). {channel}, {network}, {nick}. */
    @WithDefault("{network} has no KNOCK command, so your knock cannot reach {channel}. Ask a channel operator to invite {nick} on IRC.")
    String knockUnsupported();

    /** Reason of the declined knock when the knocker could not be connected to the network. {channel}, {network}, {cause}. */
    @WithDefault("Your knock could not reach {channel} on {network}: {cause}")
    String knockFailed();

    /** Reason of the bot's invite when an IRC user INVITEd a Matrix user's nick. {channel}, {network}, {inviter}. */
    @WithDefault("Invited to {channel} by {inviter} on IRC")
    String invitedOnIrc();

    /**
     * Said in the room when a Matrix user without channel operator status on IRC invites another Matrix user to a
     * room whose channel is invite-only: the invitee's JOIN will be refused. {inviter}, {user}, {channel}.
     */
    @WithDefault("{inviter}: you are not a channel operator on {channel}, so {user} cannot be invited on IRC; a channel operator must INVITE them there.")
    String cannotInviteOnIrc();

    /** Name of a network's room of identified users, the allow room of its restricted rooms. {network}. */
    @WithDefault("Identified on {network}")
    String identifiedRoomName();

    /** Reason of the invite to a network's room of identified users. {network}, {account}. */
    @WithDefault("Your IRC connection to {network} is identified as {account}: join this room to be let into the rooms of registered-only channels.")
    String identifiedInvite();

    /** Reason of the removal from a restricted room (and the identified room) when a user's connection is no longer identified. {channel}, {network}. */
    @WithDefault("{channel} on {network} admits only users identified to an account, and your IRC connection no longer is.")
    String noLongerIdentified();

    /** Reason of the removal from the room of identified users when a user's connection is no longer identified. {network}. */
    @WithDefault("Your IRC connection to {network} is no longer identified to an account.")
    String identifiedRoomLeft();
}
