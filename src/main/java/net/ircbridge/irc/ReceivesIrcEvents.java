package net.ircbridge.irc;

/**
 * What the bridge does with what happens on IRC; implemented by the core. Called on the IRC input threads in the
 * order the server sent the lines, so it must only queue work, never wait.
 */
public interface ReceivesIrcEvents {

    void receive(IrcEvent event);
}
