package net.ircbridge.bridge.membership;

import net.ircbridge.store.PortalRoomStore.PortalRoom;

/**
 * A Matrix user joined to a room was not on its channel within the network's absence grace: a CDI event that
 * {@link HoldsIrcMessagesForAbsentUsers} fires and {@link SoftKicksWhenConnectionsDrop} observes, synchronously,
 * before the messages held for the room are released (so the soft kick is on the room's lane ahead of them).
 *
 * <p>An event rather than a call so that dependencies point one way: soft kicks tell the holds who is gone or back,
 * the holds only say whose grace ran out.
 *
 * @param reason the soft kick's reason
 */
public record AbsentTooLong(PortalRoom room, String user, String reason) {
}
