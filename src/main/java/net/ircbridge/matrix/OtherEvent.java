package net.ircbridge.matrix;

/** An event of a kind the bridge reads nothing of but its envelope. */
public record OtherEvent(Envelope envelope) implements MatrixEvent {
}
