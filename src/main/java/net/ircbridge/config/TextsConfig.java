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
     * Answer in the room to a Matrix message that could not be sent because its sender has no IRC connection.
     * {user}, {target}: the channel or nick, {network}.
     */
    @WithDefault("{user}: your message was not sent to {target}: you are not connected to {network}.")
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
}
