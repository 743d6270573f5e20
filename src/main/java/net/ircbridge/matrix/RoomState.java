package net.ircbridge.matrix;

import java.util.Set;

/**
 * What the bridge reads of a room's whole state: its look (each null when not set) and, for a space, its children
 * (the rooms of {@code m.space.child} events that list servers to join through).
 */
public record RoomState(String name, String topic, String avatarUrl, Set<String> spaceChildren) {
}
