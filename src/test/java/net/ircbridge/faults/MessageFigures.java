package net.ircbridge.faults;

/**
 * What became of one direction's messages in a fault case.
 *
 * @param sent       messages sent (see {@link Traffic.Sent})
 * @param delivered  distinct sent messages that arrived at least once
 * @param said       messages that did not arrive but whose failure the bridge said in the room (a reply to it)
 * @param lost       messages that neither arrived nor were said to have failed, outside every crash window: lost
 *                   without a word, by a defect of the bridge
 * @param crashWindow messages that neither arrived nor were said, taken by a fault that no bridge can recover
 *                   from (see {@link ChecksFaultInvariants.CrashWindow}): counted apart from {@code lost}
 * @param duplicated extra arrivals of messages that had arrived already
 * @param reordered  arrivals of a message after a later message of the same stream (first arrivals only)
 */
record MessageFigures(int sent, int delivered, int said, int lost, int crashWindow, int duplicated, int reordered) {
}
