package net.ircbridge.bridge.membership;

import net.ircbridge.bridge.AFewAtATime;
import net.ircbridge.bridge.MatrixNames;
import net.ircbridge.bridge.NickOnNetwork;
import net.ircbridge.bridge.RoomLanes;
import net.ircbridge.bridge.Texts;
import net.ircbridge.bridge.formatting.IrcText;
import net.ircbridge.bridge.portals.PortalDirectory;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import net.ircbridge.config.Networks;
import net.ircbridge.irc.IrcEvent;
import net.ircbridge.irc.ReceivesIrcEvents;
import net.ircbridge.matrix.HomeserverClient;
import net.ircbridge.store.PortalRoomStore.PortalRoom;
import org.jboss.logging.Logger;

/**
 * Who is on the channel is who is in the room: every IRC user on a bridged channel is a ghost joined to its room,
 * exactly while they are on the channel, and every change carries the IRC reason. Work goes through the room's
 * lane, so Matrix sees the changes in the order IRC made them.
 *
 * <p>A netsplit's QUITs are held for the network's {@code netsplit-wait-seconds}: users who come back within it
 * (the netjoin) never leave Matrix, the others leave with the split reason.
 *
 * <p>A nick change is mirrored as the old ghost leaving ("Now known as new") and the new one joining, because a
 * ghost's user id is made from its nick: renaming would leave {@code @irc_net_old} showing the new nick, and the
 * next IRC user to take the old nick would get that same Matrix user. Renames still on their way coalesce: a ghost
 * renamed again before its rename was made is renamed once, to the latest nick, so a storm of NICKs costs a room at
 * most one rename per ghost at a time.
 *
 * <p>At most the network's {@code max-mirrored-members} ghosts are in a room (those already there first, then in the
 * order NAMES lists them); a channel with more, or a server that claims so, gets a notice once
 * ({@code texts.members-not-mirrored}), and the users left out speak through the bot.
 */
@ApplicationScoped
public class MirrorsIrcPresenceIntoRooms implements ReceivesIrcEvents {

    private static final Logger LOG = Logger.getLogger(MirrorsIrcPresenceIntoRooms.class);

    private final PortalDirectory portals;
    private final RoomLanes lanes;
    private final HomeserverClient homeserver;
    private final RegistersGhosts ghosts;
    private final MatrixNames names;
    private final MatrixUsersNicks matrixUsers;
    private final Texts texts;
    private final KicksAsTheIrcKicker kicks;
    private final SoftKicksWhenConnectionsDrop softKicks;
    private final Networks networks;
    /** Rooms told that their channel has more users than are mirrored, so that they are told once, not at every NAMES. */
    private final Set<String> toldNotAllMirrored = ConcurrentHashMap.newKeySet();
    /**
     * Renames queued on each room's lane and not made yet (room id → the new nick's ghost → the rename): a NICK of a
     * nick whose rename is still queued moves that rename on instead of queuing another.
     */
    private final Map<String, Map<String, Rename>> renames = new ConcurrentHashMap<>();
    /** Nicks whose QUIT was a netsplit, with the rooms their ghost is still waiting in for them to come back. */
    private final Map<NickOnNetwork, Set<String>> splitQuits = new ConcurrentHashMap<>();
    /** Ghosts joined to each room, as far as the bridge has made them; rebuilt from the room at every NAMES. */
    private final Map<String, Set<String>> joined = new ConcurrentHashMap<>();
    /**
     * Ghosts whose join is on its way (room id → ghosts): a netsplit QUIT that comes meanwhile must still be held for
     * them, since the homeserver may already show them in the room.
     */
    private final Map<String, Set<String>> joining = new ConcurrentHashMap<>();

    public MirrorsIrcPresenceIntoRooms(PortalDirectory portals, RoomLanes lanes, HomeserverClient homeserver,
            RegistersGhosts ghosts, MatrixNames names, MatrixUsersNicks matrixUsers, Networks networks, Texts texts,
            SoftKicksWhenConnectionsDrop softKicks, KicksAsTheIrcKicker kicks) {
        this.kicks = kicks;
        this.texts = texts;
        this.softKicks = softKicks;
        this.portals = portals;
        this.lanes = lanes;
        this.homeserver = homeserver;
        this.ghosts = ghosts;
        this.names = names;
        this.matrixUsers = matrixUsers;
        this.networks = networks;
    }

    @Override
    public void receive(IrcEvent event) {
        // Java 17 has no pattern switch; the event types are few and sealed.
        if (event instanceof IrcEvent.ChannelMembersListed e) {
            room(e.network(), e.channel()).ifPresent(r -> syncMembers(r, e));
        } else if (event instanceof IrcEvent.UserJoinedChannel e) {
            room(e.network(), e.channel()).ifPresent(r -> {
                Optional<String> matrixUser = matrixUsers.userOf(e.network(), e.nick());
                if (matrixUser.isPresent()) {
                    // The bot seeing a Matrix user's connection arrive is as good a sign as the connection's own.
                    softKicks.channelJoined(matrixUser.get(), e.network(), e.channel());
                } else if (!backFromSplit(e.network(), e.nick(), r) && mirrored(r) < maxMirrored(r)) {
                    // On its way from now: a burst of JOINs cannot queue past the limit, and a QUIT right behind finds it.
                    String ghost = names.ghostUserId(e.network(), e.nick());
                    joining.computeIfAbsent(r.roomId(), k -> ConcurrentHashMap.newKeySet()).add(ghost);
                    lanes.submit(r.roomId(), () -> {
                        // A NAMES queued before it may have filled the room meanwhile.
                        Set<String> in = joined.getOrDefault(r.roomId(), Set.of());
                        if (!in.contains(ghost) && in.size() >= maxMirrored(r)) {
                            joining.getOrDefault(r.roomId(), Set.of()).remove(ghost);
                            return CompletableFuture.completedFuture(null);
                        }
                        return join(r, e.nick());
                    });
                }
            });
        } else if (event instanceof IrcEvent.UserPartedChannel e) {
            room(e.network(), e.channel()).ifPresent(r ->
                    lanes.submit(r.roomId(), () -> leave(r, e.nick(), reasonOr(e.reason(),
                            Texts.fill(texts.templates().ghostParted(), "channel", r.channel())))));
        } else if (event instanceof IrcEvent.UserQuit e) {
            List<PortalRoom> rooms = roomsWithGhost(e.network(), e.nick());
            if (isNetsplit(e.reason()) && splitWaitSeconds(e.network()) > 0) {
                holdSplitQuit(e, rooms);
            } else {
                rooms.forEach(r -> lanes.submit(r.roomId(), () -> leave(r, e.nick(), reasonOr(e.reason(),
                        Texts.fill(texts.templates().ghostQuit(), "network", networkName(r))))));
            }
        } else if (event instanceof IrcEvent.UserKicked e) {
            room(e.network(), e.channel()).ifPresent(r ->
                    lanes.submit(r.roomId(), () -> kick(r, e.kicker(), e.nick(), IrcText.clean(e.reason()))));
        } else if (event instanceof IrcEvent.NickChanged e) {
            rename(e);
        }
    }

    /** A rename queued on a room's lane: {@code to} moves on while it waits. */
    private static final class Rename {
        final String from;
        String to;

        Rename(String from, String to) {
            this.from = from;
            this.to = to;
        }
    }

    /** Mirrors a NICK: the old ghost leaves and the new one joins, or a queued rename of the old nick moves on. */
    private void rename(IrcEvent.NickChanged e) {
        String oldGhost = names.ghostUserId(e.network(), e.oldNick());
        String newGhost = names.ghostUserId(e.network(), e.newNick());
        Set<String> roomIds = new HashSet<>();
        roomsWithGhost(e.network(), e.oldNick()).forEach(r -> roomIds.add(r.roomId()));
        renames.forEach((roomId, queued) -> {
            if (queued.containsKey(oldGhost)) {
                roomIds.add(roomId);
            }
        });
        for (String roomId : roomIds) {
            Optional<PortalRoom> room = portals.byRoom(roomId).filter(r -> r.network().equals(e.network()));
            if (room.isEmpty()) {
                continue;
            }
            Map<String, Rename> queued = renames.computeIfAbsent(roomId, k -> new ConcurrentHashMap<>());
            Rename rename;
            synchronized (queued) {
                Rename waiting = queued.remove(oldGhost);
                if (waiting != null) {
                    waiting.to = e.newNick();
                    queued.put(newGhost, waiting);
                    continue;
                }
                rename = new Rename(e.oldNick(), e.newNick());
                queued.put(newGhost, rename);
            }
            PortalRoom r = room.get();
            lanes.submit(roomId, () -> {
                String to;
                synchronized (queued) {
                    to = rename.to;
                    String toGhost = names.ghostUserId(r.network(), to);
                    queued.remove(toGhost, rename);
                    // From here the new ghost is on its way in: a NICK of it now is a rename of its own.
                    joining.computeIfAbsent(roomId, k -> ConcurrentHashMap.newKeySet()).add(toGhost);
                }
                return leave(r, rename.from, Texts.fill(texts.templates().ghostRenamed(), "nick", to))
                        .handle((ignored, failure) -> null)
                        .thenCompose(ignored -> join(r, to));
            });
        }
    }

    /**
     * Ghosts in a room or on their way in; constant time, so that a JOIN storm costs each JOIN the same (a ghost in
     * both sets for a moment counts twice, which errs on the side of the limit).
     */
    private int mirrored(PortalRoom room) {
        return joined.getOrDefault(room.roomId(), Set.of()).size() + joining.getOrDefault(room.roomId(), Set.of()).size();
    }

    private int maxMirrored(PortalRoom room) {
        return networks.get(room.network()).maxMirroredMembers();
    }

    private int splitWaitSeconds(String network) {
        return networks.get(network).netsplitWaitSeconds();
    }

    /** A QUIT reason servers give for a netsplit: the two servers that lost each other ("hub.net leaf.net"). */
    static boolean isNetsplit(String reason) {
        return reason != null && reason.matches("[\\w*-]+(\\.[\\w*-]+)+ [\\w*-]+(\\.[\\w*-]+)+");
    }

    /** Holds a split QUIT: the ghost leaves the rooms it hasn't come back to when the wait is over. */
    private void holdSplitQuit(IrcEvent.UserQuit quit, List<PortalRoom> rooms) {
        if (rooms.isEmpty()) {
            return;
        }
        NickOnNetwork key = new NickOnNetwork(quit.network(), quit.nick());
        Set<String> waiting = ConcurrentHashMap.newKeySet();
        rooms.forEach(r -> waiting.add(r.roomId()));
        splitQuits.put(key, waiting);
        String reason = IrcText.clean(quit.reason());
        CompletableFuture.delayedExecutor(splitWaitSeconds(quit.network()), java.util.concurrent.TimeUnit.SECONDS).execute(() -> {
            if (!splitQuits.remove(key, waiting)) {
                return;
            }
            for (PortalRoom room : rooms) {
                if (waiting.contains(room.roomId())) {
                    lanes.submit(room.roomId(), () -> leave(room, quit.nick(), reason));
                }
            }
        });
        LOG.infof("Holding the split QUIT of %s (%s) for %d s", quit.nick(), reason, splitWaitSeconds(quit.network()));
    }

    /** Whether a JOIN is a user coming back from a netsplit to a room their ghost never left. */
    private boolean backFromSplit(String network, String nick, PortalRoom room) {
        Set<String> waiting = splitQuits.get(new NickOnNetwork(network, nick));
        return waiting != null && waiting.remove(room.roomId());
    }

    private Optional<PortalRoom> room(String network, String channel) {
        return portals.byChannel(network, MatrixNames.fold(channel));
    }

    private List<PortalRoom> roomsWithGhost(String network, String nick) {
        String ghost = names.ghostUserId(network, nick);
        List<PortalRoom> rooms = new ArrayList<>();
        // A join on its way counts: what is done with the ghost goes through the room's lane, after the join.
        java.util.stream.Stream.of(joined, joining).flatMap(m -> m.entrySet().stream())
                .filter(e -> e.getValue().contains(ghost)).map(Map.Entry::getKey).distinct()
                .forEach(roomId -> portals.byRoom(roomId).filter(r -> r.network().equals(network)).ifPresent(rooms::add));
        return rooms;
    }

    private static String reasonOr(String reason, String fallback) {
        String cleaned = IrcText.clean(reason);
        return cleaned.isEmpty() ? fallback : cleaned;
    }

    private String joinReason(PortalRoom room) {
        return Texts.fill(texts.templates().ghostJoined(), "channel", room.channel(), "network", networkName(room));
    }

    private String networkName(PortalRoom room) {
        return networks.displayName(room.network());
    }

    /** Joins the ghosts of those present and makes those absent leave, from the room's real membership. */
    private void syncMembers(PortalRoom room, IrcEvent.ChannelMembersListed listed) {
        lanes.submit(room.roomId(), () -> homeserver.joinedMembers(null, room.roomId()).thenCompose(members -> {
            Set<String> present = new HashSet<>();
            for (String userId : members.keySet()) {
                names.parseGhost(userId).filter(g -> g.network().equals(room.network())).ifPresent(g -> present.add(userId));
            }
            Set<String> wanted = new HashSet<>();
            List<String> toJoin = new ArrayList<>();
            List<String> absent = new ArrayList<>();
            int users = 0;
            for (String nick : listed.prefixesByNick().keySet()) {
                if (matrixUsers.isMatrixUser(room.network(), nick)) {
                    continue;
                }
                users++;
                String ghost = names.ghostUserId(room.network(), nick);
                if (present.contains(ghost)) {
                    wanted.add(ghost);
                } else {
                    absent.add(nick);
                }
            }
            // Those already in the room stay; the others join while there is room for them.
            int limit = maxMirrored(room);
            for (String nick : absent) {
                if (wanted.size() >= limit) {
                    break;
                }
                wanted.add(names.ghostUserId(room.network(), nick));
                toJoin.add(nick);
            }
            CompletableFuture<?> chain = joinAll(room, toJoin);
            if (users > limit) {
                if (toldNotAllMirrored.add(room.roomId())) {
                    LOG.warnf("%s on %s lists %d users; mirroring %d into %s (max-mirrored-members)", room.channel(),
                            room.network(), users, limit, room.roomId());
                    String notice = Texts.fill(texts.templates().membersNotMirrored(), "channel", room.channel(),
                            "network", networkName(room), "count", String.valueOf(users), "limit", String.valueOf(limit));
                    chain = chain.thenCompose(ignored -> homeserver.sendText(null, room.roomId(), "m.notice", notice)
                            .exceptionally(failure -> null));
                }
            } else {
                toldNotAllMirrored.remove(room.roomId());
            }
            Set<String> tracked = joined.computeIfAbsent(room.roomId(), k -> ConcurrentHashMap.newKeySet());
            for (String ghost : present) {
                if (wanted.contains(ghost)) {
                    tracked.add(ghost);
                } else {
                    chain = chain.thenCompose(ignored -> homeserver.leave(ghost, room.roomId(),
                            Texts.fill(texts.templates().ghostGone(), "channel", room.channel())).thenRun(() -> tracked.remove(ghost)));
                }
            }
            return chain;
        }));
    }

    /** How many ghosts of a NAMES sync are on their way in (registered and joining) at once. */
    static final int JOINS_IN_FLIGHT = 2;

    /**
     * Joins many ghosts a few at a time, so that their registrations and round trips are off the joins' path. The
     * order among them doesn't matter: NAMES is a set.
     */
    private CompletableFuture<?> joinAll(PortalRoom room, List<String> nicks) {
        return AFewAtATime.run(nicks.stream().<java.util.function.Supplier<CompletableFuture<Void>>>map(nick -> () -> join(room, nick)
                .exceptionally(failure -> {
                    // One ghost that cannot join must not keep the others out.
                    LOG.errorf("%s's ghost could not join %s: %s", nick, room.roomId(), failure.getMessage());
                    return null;
                })).toList(), JOINS_IN_FLIGHT);
    }

    private CompletableFuture<Void> join(PortalRoom room, String nick) {
        String ghostId = names.ghostUserId(room.network(), nick);
        Set<String> inFlight = joining.computeIfAbsent(room.roomId(), k -> ConcurrentHashMap.newKeySet());
        inFlight.add(ghostId);
        return ghosts.ghost(room.network(), nick)
                .thenCompose(ghost -> homeserver.joinNamed(ghost, room.roomId(), nick, joinReason(room)).thenRun(() ->
                        joined.computeIfAbsent(room.roomId(), k -> ConcurrentHashMap.newKeySet()).add(ghost)))
                .whenComplete((ok, failure) -> inFlight.remove(ghostId));
    }

    private CompletableFuture<Void> leave(PortalRoom room, String nick, String reason) {
        String ghost = names.ghostUserId(room.network(), nick);
        Set<String> tracked = joined.getOrDefault(room.roomId(), Set.of());
        if (!tracked.contains(ghost)) {
            return CompletableFuture.completedFuture(null);
        }
        return homeserver.leave(ghost, room.roomId(), reason).thenRun(() -> tracked.remove(ghost));
    }

    /** The kicker's ghost kicks; if it lacks the power, the bot kicks and says who did it on IRC. */
    private CompletableFuture<Void> kick(PortalRoom room, String kicker, String nick, String reason) {
        String target = names.ghostUserId(room.network(), nick);
        Set<String> tracked = joined.getOrDefault(room.roomId(), Set.of());
        if (!tracked.contains(target)) {
            return CompletableFuture.completedFuture(null);
        }
        return kicks.kick(room, kicker, target, reason).thenRun(() -> tracked.remove(target));
    }
}
