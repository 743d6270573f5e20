package net.ircbridge.irc;

import org.jboss.logging.Logger;

/**
 * What the bridge does with what happens on IRC; implemented by the core. Called on the IRC input threads in the
 * order the server sent the lines, so it must only queue work, never wait.
 */
public interface ReceivesIrcEvents {

    void receive(IrcEvent event);

    /** Tells every receiver, in turn: one that fails is logged and does not keep the event from the others. */
    static void tellEach(Iterable<? extends ReceivesIrcEvents> receivers, IrcEvent event) {
        if (receivers == null) {
            return;
        }
        try {
            for (ReceivesIrcEvents receiver : receivers) {
                try {
                    receiver.receive(event);
                } catch (RuntimeException e) {
                    Logger.getLogger(ReceivesIrcEvents.class).errorf(e, "Handling %s failed", event);
                }
            }
        } catch (RuntimeException e) {
            // The receivers themselves cannot be looked up (the container is shutting down): whoever tells goes on
            // (a connection's end still completes what waits on it).
            Logger.getLogger(ReceivesIrcEvents.class).debugf("Cannot tell the receivers of %s: %s", event, e.getMessage());
        }
    }
}
