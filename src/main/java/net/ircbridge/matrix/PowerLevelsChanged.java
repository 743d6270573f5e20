package net.ircbridge.matrix;

/** A room's power levels were set ({@code m.room.power_levels}). */
public record PowerLevelsChanged(Envelope envelope, PowerLevels levels) implements MatrixEvent {
}
