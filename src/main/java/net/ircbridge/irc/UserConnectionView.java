package net.ircbridge.irc;

import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * What the core may read of one person's connection to a network, as it is now: its nick, its channels, its status,
 * and when it registers, arrives on a channel or ends. Nothing here changes the connection: what the core wants
 * done is an {@link IrcIntent} naming the connection by {@link #number()}.
 */
public interface UserConnectionView {

    /** Which connection of the bridge this is: each new connection gets a new number, which intents name it by. */
    long number();

    /** The opaque id of the person whose connection it is. */
    String owner();

    /** The id of the network this connection is to. */
    String network();

    /** Its nick now; null until it is registered. */
    String nick();

    /** The channels it asked for (lower case), on or still to be joined. */
    Set<String> channels();

    /** Whether the connection is on a channel now, the server having confirmed its JOIN. */
    boolean isOn(String channel);

    /** Whether this connection has operator status (or more) on a channel. */
    boolean isOperator(String channel);

    /** The account the connection is identified to (900), or null. */
    String account();

    /**
     * How many bytes of text one line to {@code target} may carry, the prefix the server adds when it relays the
     * line, the command, the target and an action's CTCP framing taken off.
     *
     * @throws IrcLineRefused when {@code target} is neither a channel nor a nick the bridge can name on IRC
     */
    int textBytes(String target, MessageKind kind);

    /** Completes once the connection is registered (at once if it is); fails if it ends first. */
    CompletableFuture<? extends UserConnectionView> ready();

    /**
     * Completes when the connection is on a channel (at once if it is); fails with
     * {@link IrcUserConnections.JoinRefusedException} when the server refused to let it join, or as the connection
     * ended if it ends first.
     */
    CompletableFuture<Void> whenOn(String channel);

    /** Completes once the connection is gone (after a {@link IrcIntent.Quit}, the server has closed it). */
    CompletableFuture<Void> whenEnded();
}
