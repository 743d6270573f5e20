package net.ircbridge.bridge.membership;

import net.ircbridge.bridge.UserLanes;
import net.ircbridge.bridge.UserOnNetwork;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.concurrent.CompletableFuture;
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
    private final UserLanes lanes;

    public KeepsTrackOfMatrixUsersNicks(MatrixUsersNicks nicks, IrcIdentityStore identities, ShowsIrcState connections,
            UserLanes lanes) {
        this.lanes = lanes;
        this.nicks = nicks;
        this.identities = identities;
        this.connections = connections;
    }

    @Override
    public void receive(IrcEvent event) {
        if (event instanceof IrcEvent.ConnectionRegistered registered) {
            nicks.set(registered.network(), registered.nick(), registered.owner());
            remember(registered.owner(), registered.network(), registered.nick());
        } else if (event instanceof IrcEvent.OwnNickChanged changed) {
            nicks.remove(changed.network(), changed.oldNick());
            nicks.set(changed.network(), changed.newNick(), changed.owner());
            remember(changed.owner(), changed.network(), changed.newNick());
        } else if (event instanceof IrcEvent.ConnectionLost lost) {
            // Gone: the nick may be anyone's now (the store keeps it for the user's next connection).
            forget(lost.network(), lost.owner(), lost.nick());
        } else if (event instanceof IrcEvent.ConnectionFailed failed) {
            forget(failed.network(), failed.owner(), failed.nick());
        } else if (event instanceof IrcEvent.ConnectionClosed closed) {
            forget(closed.network(), closed.owner(), closed.nick());
        }
    }

    /**
     * Stores the user's nick for their next connection, on their bookkeeping lane: in the order the nicks came, and
     * off the IRC input thread (which must not wait for the database). The nick in memory is set at once.
     */
    private void remember(String owner, String network, String nick) {
        lanes.submitBookkeeping(new UserOnNetwork(owner, network), () -> {
            identities.put(owner, network, nick);
            return CompletableFuture.completedFuture(null);
        }).exceptionally(failure -> {
            LOG.warnf("Cannot store %s's nick %s on %s: %s", owner, nick, network, failure.getMessage());
            return null;
        });
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
