package net.ircbridge.bridge.admin;

import net.ircbridge.matrix.MemberChanged;
import net.ircbridge.matrix.MessageSent;
import net.ircbridge.store.PortalRoomStore.PortalRoom;

import net.ircbridge.bridge.Failures;
import net.ircbridge.bridge.HandlesMatrixEvent;
import net.ircbridge.bridge.access.DecidesWhoMayUseTheBridge;
import net.ircbridge.bridge.portals.JoinsMappedRooms;
import net.ircbridge.bridge.portals.PortalDirectory;
import net.ircbridge.bridge.portals.RestoresBridgedRoomsAtStart;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;
import java.util.stream.Collectors;
import net.ircbridge.matrix.HomeserverClient;
import net.ircbridge.matrix.MatrixEvent;
import net.ircbridge.store.AdminRoomStore;
import org.jboss.logging.Logger;

/**
 * The admin room: a Matrix user who opens a direct chat with the bridge bot gets an answer there, and commands
 * ({@code !help} and the others) are answered in it. An invite to a room mapped by the configuration is accepted
 * (see {@link JoinsMappedRooms}): that is how a private room lets the bot in. Invites to other rooms are neither
 * accepted nor declined, because rooms are bridged by configuration and aliases, not by inviting the bot: they stay
 * pending, so that a room mapped later lets the bot in at the next start (a declined invite would be gone).
 */
@ApplicationScoped
public class AnswersInAdminRoom implements HandlesMatrixEvent {

    private static final Logger LOG = Logger.getLogger(AnswersInAdminRoom.class);

    private final HomeserverClient homeserver;
    private final AdminRoomStore adminRooms;
    private final DecidesWhoMayUseTheBridge access;
    private final Map<String, AdminCommand> commands;
    private final JoinsMappedRooms mapped;
    private final RestoresBridgedRoomsAtStart rooms;
    private final PortalDirectory portals;

    public AnswersInAdminRoom(HomeserverClient homeserver, AdminRoomStore adminRooms, DecidesWhoMayUseTheBridge access,
            Instance<AdminCommand> commands, JoinsMappedRooms mapped, RestoresBridgedRoomsAtStart rooms, PortalDirectory portals) {
        this.mapped = mapped;
        this.rooms = rooms;
        this.portals = portals;
        this.homeserver = homeserver;
        this.adminRooms = adminRooms;
        this.access = access;
        this.commands = commands.stream().collect(Collectors.toMap(AdminCommand::name, Function.identity()));
    }

    @Override
    public CompletionStage<?> handle(MatrixEvent event, Optional<PortalRoom> portal) {
        String bot = homeserver.botUserId();
        if (event instanceof MemberChanged member && bot.equals(member.user())) {
            if ("invite".equals(member.membership())) {
                return acceptOrDeclineInvite(member);
            }
            return CompletableFuture.completedFuture(null);
        }
        if (portal.isPresent()) {
            // A bridged room is never an admin room (the bot's own invites are handled above): asked of memory, so
            // a bridged room's events never wait for the database here.
            return CompletableFuture.completedFuture(null);
        }
        if (event instanceof MemberChanged member && "leave".equals(member.membership()) && !bot.equals(event.sender())) {
            return leaveWhenOwnerLeaves(member);
        }
        if (event instanceof MessageSent message && !message.isSticker() && !bot.equals(event.sender())) {
            return answerCommand(message);
        }
        return CompletableFuture.completedFuture(null);
    }

    private CompletionStage<?> acceptOrDeclineInvite(MemberChanged invite) {
        String inviter = invite.sender();
        String room = invite.roomId();
        if (mapped.isMapped(room)) {
            // The operator chose to bridge this room, whoever invited the bot: its members go on IRC once it is in.
            LOG.infof("%s invited the bot to %s, a mapped room: joining", inviter, room);
            return mapped.join(room).thenAccept(joined -> {
                if (joined) {
                    portals.byRoom(room).ifPresent(rooms::putMembersOnIrc);
                }
            });
        }
        if (!access.mayUse(inviter)) {
            return homeserver.leave(null, room, DecidesWhoMayUseTheBridge.REFUSAL);
        }
        if (!invite.direct()) {
            // Not declined by leaving: that would spend the invite, and a private room mapped later could not let the
            // bot in at the next start without another. Pending, it costs the bridge nothing.
            LOG.infof("%s invited the bot to %s, which no mapping names: the invite stays pending (map the room under"
                    + " irc.networks[].channels and restart the bridge to bridge it)", inviter, room);
            return CompletableFuture.completedFuture(null);
        }
        return homeserver.join(null, room, "Admin room of " + inviter)
                .thenRun(() -> adminRooms.put(inviter, room))
                .thenCompose(ignored -> homeserver.sendText(null, room, "m.notice",
                        "Hello! I am the IRC bridge. This is your admin room; say !help for the commands."));
    }

    private CompletionStage<?> leaveWhenOwnerLeaves(MemberChanged leave) {
        Optional<String> owner = adminRooms.ownerOf(leave.roomId());
        if (owner.isEmpty() || !owner.get().equals(leave.stateKey())) {
            return CompletableFuture.completedFuture(null);
        }
        adminRooms.remove(leave.roomId());
        return homeserver.leave(null, leave.roomId(), "The admin room's owner left.");
    }

    private CompletionStage<?> answerCommand(MessageSent message) {
        Optional<String> owner = adminRooms.ownerOf(message.roomId());
        if (owner.isEmpty() || !owner.get().equals(message.sender())) {
            return CompletableFuture.completedFuture(null);
        }
        if (KeepsLoginPasswordsOutOfTheStore.carriesLoginPassword(message)) {
            return answerRemovingPassword(message);
        }
        return answerCommandAsItIs(message);
    }

    /**
     * A message with a password (a {@code !login}) is redacted once read, so that the password is not left in the
     * room's history on the homeserver; when the bot may not redact, the user is asked to.
     */
    private CompletionStage<?> answerRemovingPassword(MessageSent message) {
        CompletableFuture<String> removed = homeserver.redact(null, message.roomId(), message.eventId(),
                "It held a password; the bridge has read it.").handle((ok, failure) -> failure == null ? ""
                        : " I could not remove your message with the password from this room ("
                                + Failures.cause(failure).getMessage() + "): please redact it yourself.");
        return answerCommandAsItIs(message, removed);
    }

    private CompletionStage<?> answerCommandAsItIs(MessageSent message) {
        return answerCommandAsItIs(message, CompletableFuture.completedFuture(""));
    }

    private CompletionStage<?> answerCommandAsItIs(MessageSent message, CompletableFuture<String> postscript) {
        String body = message.message().bodyOr("").trim();
        if (!body.startsWith("!")) {
            return postscript.thenCompose(p -> reply(message, "Commands start with '!'. Say !help for the list." + p));
        }
        String[] parts = body.substring(1).split("\\s+", 2);
        AdminCommand command = commands.get(parts[0].toLowerCase(java.util.Locale.ROOT));
        if (command == null) {
            // Not repeated when it may hold a password ("!login" glued to its words).
            String named = KeepsLoginPasswordsOutOfTheStore.carriesLoginPassword(message) ? "" : " !" + parts[0];
            return postscript.thenCompose(p -> reply(message, "Unknown command" + named + ". Say !help for the list." + p));
        }
        return command.run(message.sender(), parts.length > 1 ? parts[1] : "")
                .exceptionally(failure -> {
                    LOG.errorf(failure, "!%s failed for %s", command.name(), message.sender());
                    return "!" + command.name() + " failed: " + failure.getMessage();
                })
                .thenCombine(postscript, String::concat)
                .thenCompose(answer -> reply(message, answer));
    }

    private CompletionStage<String> reply(MatrixEvent to, String text) {
        return homeserver.sendText(null, to.roomId(), "m.notice", text);
    }
}
