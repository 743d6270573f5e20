package net.ircbridge.bridge;

/** A Matrix user and an IRC network: the key of what the bridge keeps per user and network. */
public record UserOnNetwork(String user, String network) {
}
