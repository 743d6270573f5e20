package net.ircbridge.bridge.membership;

import java.util.Set;

/**
 * A Matrix user's connection could not be made (to join a room's channel, or to go back on channels after it
 * dropped): a CDI event that {@link ConnectsMatrixUsersToIrc} fires and {@link SoftKicksWhenConnectionsDrop}
 * observes, synchronously, on the thread that found out.
 *
 * <p>An event rather than a call so that dependencies point one way: soft kicks use connections (a reconnect, who
 * is on a channel), connections only say what happened to them.
 *
 * @param channels  the channels the connection was for
 * @param reason    the server's words, or the failure's
 * @param permanent whether trying again cannot help (a ban, refused credentials): then the user is kicked for good
 *                  rather than soft-kicked and reconnected
 */
public record ConnectionCouldNotBeMade(String user, String network, Set<String> channels, String reason, boolean permanent) {
}
