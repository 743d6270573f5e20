package net.ircbridge.bridge.membership;

import net.ircbridge.bridge.MatrixNames;
import net.ircbridge.bridge.UserInRoom;
import net.ircbridge.bridge.portals.PortalDirectory;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which Matrix users' connections are going back on a channel they were on before (a reconnection, a restart), so
 * that a refusal of that JOIN can be told from a first one (see {@link RemovesUsersTheChannelRefuses}).
 *
 * <p>A class of its own so that dependencies point one way: who puts users back on channels
 * ({@link ConnectsMatrixUsersToIrc}) writes here, who handles the channel's refusals reads here, and neither
 * depends on the other.
 */
@ApplicationScoped
public class RemembersRejoiningUsers {

    private final PortalDirectory portals;
    /** Users (key: user and room) whose connection is going back on a channel it was on before. */
    private final Set<UserInRoom> rejoining = ConcurrentHashMap.newKeySet();

    public RemembersRejoiningUsers(PortalDirectory portals) {
        this.portals = portals;
    }

    /** The user's connection is about to JOIN a channel it was on before. */
    public void rejoining(String user, String network, String channel) {
        portals.byChannel(network, MatrixNames.fold(channel)).ifPresent(room -> rejoining.add(new UserInRoom(user, room.roomId())));
    }

    /** Whether the user was going back on the room's channel; forgotten either way. */
    boolean wasRejoining(UserInRoom key) {
        return rejoining.remove(key);
    }

    /** The user is on the room's channel again: nothing to remember. */
    void rejoined(UserInRoom key) {
        rejoining.remove(key);
    }
}
