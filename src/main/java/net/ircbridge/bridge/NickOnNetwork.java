package net.ircbridge.bridge;

/** An IRC nick on a network, folded as IRC compares nicks: the key of what the bridge keeps per nick. */
public record NickOnNetwork(String network, String nick) {

    public NickOnNetwork {
        nick = MatrixNames.fold(nick);
    }
}
