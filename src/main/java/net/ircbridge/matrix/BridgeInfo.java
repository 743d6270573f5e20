package net.ircbridge.matrix;

/**
 * What a room is bridged to (MSC2346, {@code m.bridge}, also set as {@code uk.half-shot.bridge}): the bridge's bot,
 * the protocol, the network and the channel, each with an id and a name to show.
 */
public record BridgeInfo(String bridgeBot, Named protocol, Named network, Named channel) implements StateContent {

    /** An id and the name clients show for it. */
    public record Named(String id, String displayName) {
    }

    /** The older type some clients still read. */
    public static final String HALF_SHOT_TYPE = "uk.half-shot.bridge";

    @Override
    public String eventType() {
        return "m.bridge";
    }
}
