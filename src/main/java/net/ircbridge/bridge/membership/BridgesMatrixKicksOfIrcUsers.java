package net.ircbridge.bridge.membership;

import net.ircbridge.bridge.HandlesMatrixEvent;
import net.ircbridge.bridge.MatrixNames;
import net.ircbridge.bridge.Texts;
import net.ircbridge.bridge.relay.SaysWhyMessagesDidNotReachIrc;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import net.ircbridge.irc.IrcLineRefused;
import net.ircbridge.irc.IrcIntent;
import net.ircbridge.irc.PerformsIrcIntents;
import net.ircbridge.irc.ShowsIrcState;
import net.ircbridge.irc.UserConnectionView;
import net.ircbridge.matrix.HomeserverClient;
import net.ircbridge.matrix.MatrixEvent;
import net.ircbridge.matrix.MemberChanged;
import net.ircbridge.store.PortalRoomStore.PortalRoom;

/**
 * A Matrix user who kicks or bans an IRC user's ghost kicks (and bans) them on IRC, from their own connection, if
 * they are a channel operator there; otherwise they are told in the room why nothing happened on IRC. A ghost whose
 * nick cannot be named on IRC (its user id decodes to {@code *}, {@code *!*@*}, a nick with a space, ...) is neither
 * kicked nor banned there, so a ban can never cover everyone; the kicker is told.
 */
@ApplicationScoped
public class BridgesMatrixKicksOfIrcUsers implements HandlesMatrixEvent {

    private final MatrixNames names;
    private final ShowsIrcState connections;
    private final PerformsIrcIntents irc;
    private final HomeserverClient homeserver;
    private final Texts texts;
    private final SaysWhyMessagesDidNotReachIrc failures;

    public BridgesMatrixKicksOfIrcUsers(MatrixNames names, ShowsIrcState connections, PerformsIrcIntents irc,
            HomeserverClient homeserver, Texts texts, SaysWhyMessagesDidNotReachIrc failures) {
        this.texts = texts;
        this.failures = failures;
        this.names = names;
        this.connections = connections;
        this.irc = irc;
        this.homeserver = homeserver;
    }

    @Override
    public CompletionStage<?> handle(MatrixEvent event, Optional<PortalRoom> portal) {
        if (!(event instanceof MemberChanged member)
                || !("leave".equals(member.membership()) || "ban".equals(member.membership()))) {
            return HandlesMatrixEvent.done();
        }
        String kicker = event.sender();
        String target = event.stateKey();
        if (kicker.equals(target) || names.isBridgeUser(kicker)) {
            return HandlesMatrixEvent.done();
        }
        Optional<PortalRoom> room = portal;
        Optional<MatrixNames.IrcName> ghost = names.parseGhost(target);
        if (room.isEmpty() || ghost.isEmpty() || !ghost.get().network().equals(room.get().network())) {
            return HandlesMatrixEvent.done();
        }
        boolean ban = "ban".equals(member.membership());
        String nick = ghost.get().name();
        String reason = member.reason();
        Optional<UserConnectionView> connection = connections.find(room.get().network(), kicker);
        if (connection.isPresent() && connection.get().isOperator(room.get().channel())) {
            try {
                if (ban) {
                    irc.perform(new IrcIntent.Ban(connection.get(), room.get().channel(), nick));
                }
                irc.perform(new IrcIntent.Kick(connection.get(), room.get().channel(), nick, reason.isEmpty() ? "Kicked from Matrix" : reason));
            } catch (IrcLineRefused refused) {
                failures.cannotName(room.get().network(), kicker, refused.value(), room.get().roomId(), event.eventId());
            }
            return HandlesMatrixEvent.done();
        }
        return homeserver.sendText(null, room.get().roomId(), "m.notice", Texts.fill(texts.templates().notAnIrcOperator(),
                "kicker", kicker, "nick", nick, "channel", room.get().channel()));
    }
}
