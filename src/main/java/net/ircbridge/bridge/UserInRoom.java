package net.ircbridge.bridge;

/** A Matrix user and a room: the key of what the bridge keeps per user and room. */
public record UserInRoom(String user, String roomId) {
}
