package net.ircbridge.bridge.relay;

import net.ircbridge.store.PortalRoomStore.PortalRoom;

import net.ircbridge.bridge.Failures;
import net.ircbridge.bridge.HandlesMatrixEvent;
import net.ircbridge.bridge.MatrixNames;
import net.ircbridge.bridge.RoomLanes;
import net.ircbridge.bridge.UserLanes;
import net.ircbridge.bridge.UserOnNetwork;
import net.ircbridge.bridge.Texts;
import net.ircbridge.bridge.access.DecidesWhoMayUseTheBridge;
import net.ircbridge.bridge.formatting.IrcText;
import net.ircbridge.bridge.formatting.TranslatesIrcFormattingToHtml;
import net.ircbridge.bridge.membership.ConnectsMatrixUsersToIrc;
import net.ircbridge.bridge.membership.RegistersGhosts;
import net.ircbridge.bridge.portals.AnswersHomeserverQueries;
import net.ircbridge.bridge.portals.CreatesPortalRooms;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import net.ircbridge.bridge.formatting.TranslatesIrcFormattingToHtml.MatrixText;
import net.ircbridge.config.Networks;
import net.ircbridge.irc.IrcConnectionFailed;
import net.ircbridge.irc.IrcEvent;
import net.ircbridge.irc.IrcIntent;
import net.ircbridge.irc.PerformsIrcIntents;
import net.ircbridge.irc.ShowsIrcState;
import net.ircbridge.irc.UserConnectionView;
import net.ircbridge.irc.ReceivesIrcEvents;
import net.ircbridge.matrix.HomeserverClient;
import net.ircbridge.matrix.MatrixEvent;
import net.ircbridge.matrix.MemberChanged;
import net.ircbridge.matrix.MessageContent;
import net.ircbridge.matrix.RoomCreation;
import net.ircbridge.matrix.MatrixException;
import net.ircbridge.store.DirectChatStore;
import net.ircbridge.store.DirectChatStore.DirectChat;
import org.jboss.logging.Logger;

/**
 * Private messages: a direct chat between a Matrix user and an IRC user's ghost carries the private messages
 * between the Matrix user's own IRC connection and that nick.
 *
 * <p>A Matrix user who invites a ghost to a direct chat ({@code is_direct}) gets the ghost in it, and is connected
 * to the network (if they weren't) so the IRC user can answer; what they say there goes to the nick from their
 * connection. An IRC user who messages a Matrix user's nick gets a direct chat made by their ghost, inviting the
 * Matrix user, unless there is one already. Leaving the chat ends it (the ghost leaves too; the next private
 * message makes a new one). Invites of ghosts to other rooms are declined with a reason.
 *
 * <p>Order: an IRC user's messages to a Matrix user reach the chat in order (one lane per chat, which also makes
 * sure one chat is made, not one per message); a Matrix user's go out on their queue, like their channel messages,
 * and like them are done (not handed on again after a crash) only once their lines have left the token bucket or
 * the reason they did not was said in the chat; one that comes while the user's connection is being made (at a
 * start) waits for it.
 */
@ApplicationScoped
public class RelaysPrivateMessages implements HandlesMatrixEvent, ReceivesIrcEvents {

    private static final Logger LOG = Logger.getLogger(RelaysPrivateMessages.class);

    private final DirectChatStore chats;
    private final MatrixNames names;
    private final HomeserverClient homeserver;
    private final RegistersGhosts ghosts;
    private final ConnectsMatrixUsersToIrc users;
    private final ShowsIrcState connections;
    private final PerformsIrcIntents irc;
    private final RelaysMatrixMessagesToIrc toIrc;
    private final SaysWhyMessagesDidNotReachIrc failures;
    private final RoomLanes lanes;
    private final UserLanes userLanes;
    private final DecidesWhoMayUseTheBridge access;
    private final Texts texts;
    private final RemembersRecentMessages recent;
    private final Networks networks;

    public RelaysPrivateMessages(DirectChatStore chats, MatrixNames names, HomeserverClient homeserver, RegistersGhosts ghosts,
            ConnectsMatrixUsersToIrc users, ShowsIrcState connections, PerformsIrcIntents irc, RelaysMatrixMessagesToIrc toIrc,
            SaysWhyMessagesDidNotReachIrc failures, RoomLanes lanes, UserLanes userLanes, DecidesWhoMayUseTheBridge access, Texts texts, Networks networks,
            RemembersRecentMessages recent) {
        this.recent = recent;
        this.chats = chats;
        this.names = names;
        this.homeserver = homeserver;
        this.ghosts = ghosts;
        this.users = users;
        this.connections = connections;
        this.irc = irc;
        this.toIrc = toIrc;
        this.failures = failures;
        this.lanes = lanes;
        this.userLanes = userLanes;
        this.access = access;
        this.texts = texts;
        this.networks = networks;
    }

    // ---- Matrix to IRC ----

    @Override
    public CompletionStage<?> handle(MatrixEvent event, Optional<PortalRoom> portal) {
        if (event instanceof MemberChanged member) {
            Optional<MatrixNames.IrcName> ghost = names.parseGhost(event.stateKey());
            if (ghost.isPresent() && "invite".equals(member.membership()) && !toIrc.isBridged(event.sender())) {
                return invited(member, ghost.get(), portal.isPresent());
            }
            if (("leave".equals(member.membership()) || "ban".equals(member.membership())) && portal.isEmpty()) {
                chats.byRoom(event.roomId()).ifPresent(chat -> left(chat, event.stateKey()));
            }
            return HandlesMatrixEvent.done();
        }
        if (!RelaysMatrixMessagesToIrc.isConversation(event)) {
            return HandlesMatrixEvent.done();
        }
        if (portal.isPresent()) {
            // A bridged room is never a direct chat: its messages never wait for the database here.
            return HandlesMatrixEvent.done();
        }
        Optional<DirectChat> chat = chats.byRoom(event.roomId());
        if (chat.isEmpty() || !chat.get().userId().equals(event.sender())) {
            return HandlesMatrixEvent.done();
        }
        // The bot is not in a direct chat: the ghost reads the messages a reply quotes.
        String ghost = names.ghostUserId(chat.get().network(), chat.get().nick());
        Optional<RelaysMatrixMessagesToIrc.Outgoing> outgoing = toIrc.outgoing(chat.get().network(), event, ghost);
        if (outgoing.isEmpty()) {
            return HandlesMatrixEvent.done();
        }
        // The chat's lane goes on at once (the user's token bucket holds up only them); the event is done when this is.
        return HandlesMatrixEvent.later(send(chat.get(), event.eventId(), outgoing.get()));
    }

    /**
     * A Matrix user invited a ghost: to a direct chat it joins, anything else it declines. A bridged room is not a
     * direct chat even when the invite says so: the nick's private messages would be said in the open room.
     */
    private CompletionStage<?> invited(MemberChanged invite, MatrixNames.IrcName ghost, boolean inAPortal) {
        String ghostId = invite.stateKey();
        String user = invite.sender();
        if (!invite.direct() || !access.mayUse(user) || inAPortal) {
            return homeserver.leave(ghostId, invite.roomId(), Texts.fill(texts.templates().notDirectChat(), "nick", ghost.name()));
        }
        if (!connections.isNickTarget(ghost.network(), ghost.name())) {
            // Its user id decodes to a mask, a list or words ('*', '*!*@*', 'a b'): no line may name it. Such a ghost is
            // not registered any more (see AnswersHomeserverQueries), so it may be unable to decline: then it stays invited.
            return homeserver.leave(ghostId, invite.roomId(), Texts.fill(texts.templates().notAnIrcName(), "user", user,
                    "target", IrcText.clean(ghost.name()), "network", networkName(ghost.network()))).exceptionally(failure -> {
                        LOG.infof("%s invited %s, which cannot be named on IRC, and it could not decline: %s", user, ghostId,
                                failure.getMessage());
                        return null;
                    });
        }
        String reason = Texts.fill(texts.templates().directChat(), "nick", ghost.name(), "network", networkName(ghost.network()));
        return homeserver.join(ghostId, invite.roomId(), reason).thenRun(() -> {
            chats.put(new DirectChat(invite.roomId(), ghost.network(), ghost.name(), user));
            // Connected now, so that the IRC user can answer before the Matrix user says anything.
            users.connection(ghost.network(), user).exceptionally(failure -> {
                LOG.warnf("Could not connect %s to %s for a direct chat: %s", user, ghost.network(), failure.getMessage());
                return null;
            });
        });
    }

    /** One of the two left the chat: it has ended. */
    private void left(DirectChat chat, String who) {
        String ghostId = names.ghostUserId(chat.network(), chat.nick());
        if (!who.equals(chat.userId()) && !who.equals(ghostId)) {
            return;
        }
        chats.remove(chat.roomId());
        if (who.equals(chat.userId())) {
            lanes.submit(chat.roomId(), () -> homeserver.leave(ghostId, chat.roomId(), texts.templates().directChatEnded()))
                    .exceptionally(failure -> null);
            // A connection kept only for private messages is closed with the last of them.
            connections.find(chat.network(), chat.userId())
                    .filter(c -> c.channels().isEmpty() && chats.ofUser(chat.network(), chat.userId()).isEmpty())
                    .ifPresent(c -> irc.perform(new IrcIntent.Quit(c, texts.templates().matrixUserQuit())));
        }
    }

    /**
     * Sends a private message on the user's queue, through their connection (made now if they have none, or the
     * one being made by the restore at start); answers in the chat when it cannot.
     *
     * @return completes once the message's lines have left the user's token bucket for the socket, or the reason it
     *         did not go was sent to the chat; fails with a {@link RejectedExecutionException} when the bridge stops
     *         first (the message is then neither sent nor failed, and is sent after the next start)
     */
    private CompletableFuture<Void> send(DirectChat chat, String eventId, RelaysMatrixMessagesToIrc.Outgoing outgoing) {
        String network = chat.network();
        String user = chat.userId();
        CompletableFuture<CompletableFuture<Void>> outcome = userLanes.submit(new UserOnNetwork(user, network), () -> {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SpeaksOnChannelsAsTheUser.WAIT_SECONDS);
            return attempt(chat, eventId, outgoing, null, 1, deadline).handle((sent, failure) -> {
                if (failure == null) {
                    return CompletableFuture.<Void>completedFuture(null);
                }
                Throwable cause = Failures.cause(failure);
                if (cause instanceof RejectedExecutionException) {
                    return CompletableFuture.<Void>failedFuture(cause);
                }
                LOG.debugf("%s's private message %s to %s did not leave: %s", user, eventId, chat.nick(), cause.toString());
                // The answer is waited for outside the user's queue: their next message need not wait for the homeserver.
                if (cause instanceof net.ircbridge.irc.IrcLineRefused) {
                    // A chat kept from before nicks were checked: nothing is sent to it.
                    return failures.cannotName(network, user, chat.nick(), chat.roomId(), eventId);
                }
                return failures.notConnected(network, user, chat.nick(), chat.roomId(), eventId,
                        SpeaksOnChannelsAsTheUser.reasonOf(cause));
            });
        });
        return outcome.thenCompose(answer -> answer);
    }

    /**
     * One try at sending a private message, on the user's connection once it is registered. A user without one
     * gets one (a user with direct chats only has no other maker of connections); if it fails or ends before the
     * lines have left, and not for good, the message tries a next connection (a reconnect's, or a new one), at most
     * {@link #TRIES} times within the deadline. A line that left just before an end may then be said twice, which is
     * better than not at all.
     */
    private CompletableFuture<Void> attempt(DirectChat chat, String eventId, RelaysMatrixMessagesToIrc.Outgoing outgoing,
            UserConnectionView ended, int tries, long deadline) {
        String network = chat.network();
        String user = chat.userId();
        AtomicReference<UserConnectionView> used = new AtomicReference<>();
        // The ended connection is gone from the connections first, so that the next one is not the same.
        CompletableFuture<Void> gone = ended == null ? CompletableFuture.completedFuture(null)
                : ended.whenEnded().copy().orTimeout(remaining(deadline), TimeUnit.NANOSECONDS);
        // Completes once the connection is registered; a copy, since others wait for the same registration.
        // Async: the ended connection's end completes on an IRC input thread, and finding the next one reads the store.
        return gone.thenComposeAsync(g -> users.connection(network, user).copy().orTimeout(remaining(deadline), TimeUnit.NANOSECONDS))
                .thenCompose(c -> {
                    used.set(c);
                    failures.sent(network, user, chat.nick(), chat.roomId(), eventId);
                    return toIrc.send(c, chat.nick(), outgoing).thenRun(() -> recent.remember(eventId, c.nick(), outgoing.plain()));
                })
                .exceptionallyCompose(failure -> {
                    Throwable cause = Failures.cause(failure);
                    if (cause instanceof IrcConnectionFailed f && !f.permanent() && tries < TRIES && remaining(deadline) > 1) {
                        LOG.debugf("%s's connection to %s failed before private message %s left (%s); trying the next one", user,
                                network, eventId, f.reason());
                        return attempt(chat, eventId, outgoing, used.get(), tries + 1, deadline);
                    }
                    return CompletableFuture.failedFuture(cause);
                });
    }

    /** How many connections a private message tries before it is answered as not sent. */
    private static final int TRIES = 3;

    /** Nanoseconds left until a deadline of {@link System#nanoTime()}, at least 1. */
    private static long remaining(long deadline) {
        return Math.max(1, deadline - System.nanoTime());
    }

    // ---- IRC to Matrix ----

    @Override
    public void receive(IrcEvent event) {
        if (!(event instanceof IrcEvent.PrivateMessageReceived pm)) {
            return;
        }
        MatrixText text = TranslatesIrcFormattingToHtml.translate(pm.text(), word -> Optional.empty());
        userLanes.submitFromNick(new UserOnNetwork(pm.owner(), pm.network()), pm.nick(), () -> chatWith(pm, false)
                .thenCompose(chat -> say(chat, pm, text).handle((eventId, failure) -> {
                    if (failure == null) {
                        return CompletableFuture.completedFuture(eventId);
                    }
                    Throwable cause = Failures.cause(failure);
                    if (cause instanceof MatrixException m && m.status() == 403) {
                        // The ghost is no longer in that chat: a new one.
                        chats.remove(chat.roomId());
                        return chatWith(pm, true).thenCompose(fresh -> say(fresh, pm, text));
                    }
                    return CompletableFuture.<String>failedFuture(cause);
                }).thenCompose(f -> f)))
                .exceptionally(failure -> {
                    LOG.errorf("Could not deliver %s's private message to %s: %s", pm.nick(), pm.owner(), failure.getMessage());
                    return null;
                });
    }

    private CompletableFuture<String> say(DirectChat chat, IrcEvent.PrivateMessageReceived pm, MatrixText text) {
        MessageContent content = RelaysIrcMessagesToRooms.content(pm.kind(), text, null);
        return homeserver.sendMessage(names.ghostUserId(pm.network(), pm.nick()), chat.roomId(), content)
                .thenApply(eventId -> {
                    recent.remember(eventId, pm.nick(), text.body());
                    return eventId;
                });
    }

    /** The direct chat of the Matrix user with the nick, made now by the nick's ghost if there is none. */
    private CompletableFuture<DirectChat> chatWith(IrcEvent.PrivateMessageReceived pm, boolean fresh) {
        String nick = MatrixNames.fold(pm.nick());
        Optional<DirectChat> known = fresh ? Optional.empty() : chats.find(pm.network(), nick, pm.owner());
        if (known.isPresent()) {
            return CompletableFuture.completedFuture(known.get());
        }
        return ghosts.namedGhost(pm.network(), pm.nick()).thenCompose(ghost -> {
            RoomCreation request = RoomCreation.preset("trusted_private_chat").version(CreatesPortalRooms.ROOM_VERSION)
                    .direct(List.of(pm.owner()));
            return homeserver.createRoom(ghost, request);
        }).thenApply(roomId -> {
            DirectChat chat = new DirectChat(roomId, pm.network(), nick, pm.owner());
            chats.put(chat);
            LOG.infof("%s on %s opened a direct chat with %s: %s", pm.nick(), pm.network(), pm.owner(), roomId);
            return chat;
        });
    }

    private String networkName(String network) {
        return networks.displayName(network);
    }
}
