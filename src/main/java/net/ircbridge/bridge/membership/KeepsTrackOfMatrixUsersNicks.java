package net.ircbridge.bridge.membership;

import jakarta.enterprise.context.ApplicationScoped;
import net.ircbridge.irc.IrcEvent;
import net.ircbridge.irc.ShowsIrcState;
import net.ircbridge.irc.ReceivesIrcEvents;
import net.ircbridge.store.IrcIdentityStore;
import org.jboss.logging.Logger;

/**
 * The nick each Matrix user's connection has, known as it changes: in {@link MatrixUsersNicks} while the
 * connection is up (so that the nick gets no ghost), and in the store for good (so that the user has it again after
 * a reconnect or a restart).
 */
@ApplicationScoped
public class KeepsTrackOfMatrixUsersNicks implements ReceivesIrcEvents {

    private static final Logger LOG = Logger.getLogger(KeepsTrackOfMatrixUsersNicks.class);

    private final MatrixUsersNicks nicks;
    private final IrcIdentityStore identities;
    private final ShowsIrcState connections;

    public KeepsTrackOfMatrixUsersNicks(MatrixUsersNicks nicks, IrcIdentityStore identities, ShowsIrcState connections) {
        this.nicks = nicks;
        this.identities = identities;
        this.connections = connections;
    }

    @Override
    public void receive(IrcEvent event) {
        if (event instanceof IrcEvent.ConnectionRegistered registered) {
            nicks.set(registered.network(), registered.nick(), registered.owner());
            identities.put(registered.owner(), registered.network(), registered.nick());
        } else if (event instanceof IrcEvent.OwnNickChanged changed) {
            nicks.remove(changed.network(), changed.oldNick());
            nicks.set(changed.network(), changed.newNick(), changed.owner());
            identities.put(changed.owner(), changed.network(), changed.newNick());
        } else if (event instanceof IrcEvent.ConnectionLost lost) {
            // Gone: the nick may be anyone's now (the store keeps it for the user's next connection).
            forget(lost.network(), lost.owner(), lost.nick());
        } else if (event instanceof IrcEvent.ConnectionFailed failed) {
            forget(failed.network(), failed.owner(), failed.nick());
        } else if (event instanceof IrcEvent.ConnectionClosed closed) {
            forget(closed.network(), closed.owner(), closed.nick());
        }
    }

    private void forget(String network, String owner, String nick) {
        if (nick == null) {
            return;
        }
        // The owner's next connection may have the same nick already (a quick leave and join, a reconnect to log in):
        // the old one's end must not take it away from it.
        boolean stillTheirs = connections.find(network, owner).map(c -> nick.equals(c.nick())).orElse(false);
        if (!stillTheirs) {
            LOG.debugf("%s is no Matrix user's nick on %s any more", nick, network);
            nicks.remove(network, nick);
        }
    }
}
