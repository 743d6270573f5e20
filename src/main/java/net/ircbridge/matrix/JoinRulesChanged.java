package net.ircbridge.matrix;

/** A room's join rules were set ({@code m.room.join_rules}). */
public record JoinRulesChanged(Envelope envelope, JoinRules rules) implements MatrixEvent {
}
