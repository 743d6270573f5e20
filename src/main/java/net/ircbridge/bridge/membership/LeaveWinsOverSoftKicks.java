package net.ircbridge.bridge.membership;

import net.ircbridge.matrix.HomeserverClient.MemberEvent;

/**
 * A user's own leave always wins over what the bridge owes them. The soft kick and the invite back are decided on
 * the room's lane from the user's member event as the homeserver has it at that moment, not from what the bridge
 * last saw: the user's leave may still be on its way to the bridge when their connection drops.
 */
final class LeaveWinsOverSoftKicks {

    private LeaveWinsOverSoftKicks() {
    }

    /** What a soft kick does. */
    enum SoftKick {
        /** The user is joined: the soft kick goes out. */
        KICK,
        /** The bot's soft kick is their member event already: nothing more, and what is owed stays owed. */
        ALREADY_SOFT_KICKED,
        /** They left on their own, were removed or banned, or are only invited or knocking: no kick, nothing owed. */
        GONE
    }

    /** What an owed invite back does once the user is on the channel again. */
    enum InviteBack {
        /** Still soft-kicked by the bot, from a join: the invite goes out. */
        INVITE,
        /** Joined again ahead of the invite, or invited already: nothing to send, nothing owed. */
        NOT_OWED,
        /** Left on their own (or removed) since: nothing owed, and off the channel again. */
        LEFT,
        /**
         * The event the soft kick replaced could not be read: whether it landed on a join or on the user's own
         * leave is unknown, so nothing is decided and the invite stays owed until it can be.
         */
        UNDECIDED
    }

    /**
     * A user with no member event at all is kicked too. The bridge acts on a join it received, so "none" means the
     * join was accepted and then put out of the room's state: Synapse resolves a join and a concurrent change of the
     * join rule to {@code knock} (a channel found {@code +i} as its room is made) against each other, and the join
     * loses. Their client still shows them in the room; the kick, with its reason, tells them they are not.
     */
    static SoftKick softKick(MemberEvent member, String bot) {
        if ("join".equals(member.membership()) || member.membership().isEmpty()) {
            return SoftKick.KICK;
        }
        if ("invite".equals(member.membership()) && bot.equals(member.sender())) {
            // The bot's own invite back, sent while the connection dropped again: it said "you are back", and they
            // are not. The soft kick takes it back (with its reason), and the invite is owed again.
            return SoftKick.KICK;
        }
        return isSoftKickBy(member, bot) ? SoftKick.ALREADY_SOFT_KICKED : SoftKick.GONE;
    }

    /**
     * @param previousMembership the membership the user's member event replaced, "" when unknown (a homeserver that
     *        doesn't say is trusted: the soft kick replaced the join it was made for), {@code null} when asking for
     *        it failed (a homeserver that could not answer is not taken for one that doesn't say)
     */
    static InviteBack inviteBack(MemberEvent member, String previousMembership, String bot) {
        if (isSoftKickBy(member, bot)) {
            if (previousMembership == null) {
                return InviteBack.UNDECIDED;
            }
            // A soft kick that landed on the user's own leave (they left between the bot's look and its kick) owes
            // nothing: the leave came first.
            // One that took back the bot's own invite back (the connection dropped again meanwhile) owes it again.
            return previousMembership.isEmpty() || "join".equals(previousMembership) || "invite".equals(previousMembership)
                    ? InviteBack.INVITE : InviteBack.LEFT;
        }
        return switch (member.membership()) {
            case "join", "invite", "knock" -> InviteBack.NOT_OWED;
            default -> InviteBack.LEFT;
        };
    }

    /**
     * Whether the user's member event is a soft kick (MSC3217) by the bridge bot. A homeserver that answers with the
     * event's content alone doesn't say its sender: the soft-kick key is taken for the bot's then.
     */
    static boolean isSoftKickBy(MemberEvent member, String bot) {
        return "leave".equals(member.membership()) && (bot.equals(member.sender()) || member.sender().isEmpty())
                && member.softKick();
    }

    /** Whether the user is out of the room already (left, removed, banned, never there): a kick would be refused. */
    static boolean isGone(MemberEvent member) {
        return switch (member.membership()) {
            case "join", "invite", "knock" -> false;
            default -> true;
        };
    }
}
