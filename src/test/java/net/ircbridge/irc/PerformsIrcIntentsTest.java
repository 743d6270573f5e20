package net.ircbridge.irc;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import net.ircbridge.config.IrcConfig;
import net.ircbridge.config.Networks;
import net.ircbridge.irc.kicl.IrcConnectionSpec;
import org.junit.jupiter.api.Test;
import org.kitteh.irc.client.library.Client;

/** The core's intents: plain records that keep their secrets, each performed on the connection it names. */
class PerformsIrcIntentsTest {

    // ---- the records ----

    @Test
    void aConnectWithALoginNeverShowsItsPassword() {
        IrcIntent.Connect connect = new IrcIntent.Connect("net", "@a:hs", "alice", "a", "alice", "hunter2");
        assertFalse(connect.toString().contains("hunter2"), connect.toString());
        assertTrue(connect.toString().contains("alice"), connect.toString());
    }

    @Test
    void anIdentifyNeverShowsItsPassword() {
        IrcIntent.Identify identify = new IrcIntent.Identify("net", "@a:hs", 7, "NickServ", "alice", "hunter2");
        assertFalse(identify.toString().contains("hunter2"), identify.toString());
        assertTrue(identify.toString().contains("NickServ"), identify.toString());
    }

    @Test
    void whatASayCarriesCannotChangeAfterItIsMade() {
        List<String> lines = new ArrayList<>(List.of("one"));
        IrcIntent.Say say = new IrcIntent.Say("net", "@a:hs", 7, "#c", MessageKind.MESSAGE, lines);
        lines.add("two");
        assertEquals(List.of("one"), say.lines());
        assertThrows(UnsupportedOperationException.class, () -> say.lines().add("three"));
    }

    @Test
    void anIntentMadeForAConnectionNamesItsNetworkOwnerAndNumber() {
        UserConnectionView view = proxy(UserConnectionView.class, Map.of("network", "net", "owner", "@a:hs", "number", 7L));
        assertEquals(new IrcIntent.Join("net", "@a:hs", 7, "#c"), new IrcIntent.Join(view, "#c"));
        assertEquals(new IrcIntent.Quit("net", "@a:hs", 7, "bye"), new IrcIntent.Quit(view, "bye"));
    }

    // ---- performing them ----

    /** What each fake client was asked, by owner. */
    private final Map<String, List<String>> asked = new java.util.concurrent.ConcurrentHashMap<>();
    private final List<String> botCalls = new ArrayList<>();
    private final Bots bots = new Bots();
    private final IrcUserConnections connections = new FakeClients();
    private final Reconnects reconnects = new Reconnects();
    private final PerformsIrcIntents irc = new PerformsIrcIntents(connections, bots, reconnects);
    private final ShowsIrcState state = new ShowsIrcState(connections, bots);

    @Test
    void eachIntentForAConnectionReachesThatConnectionOnly() {
        UserConnectionView alice = connected("@alice:hs");
        UserConnectionView bob = connected("@bob:hs");
        irc.perform(new IrcIntent.Join(alice, "#c"));
        irc.perform(new IrcIntent.Say(bob, "#c", MessageKind.MESSAGE, List.of("hello")));
        irc.perform(new IrcIntent.Knock(bob, "#d", "let me in"));
        assertEquals(List.of("addChannel [[#c]]"), asked.get("@alice:hs"));
        assertEquals(List.of("sendRawLine [PRIVMSG #c :hello]", "sendRawLine [KNOCK #d :let me in]"), asked.get("@bob:hs"));
    }

    @Test
    void aQuitClosesTheConnectionItNames() {
        UserConnectionView alice = connected("@alice:hs");
        UserConnectionView bob = connected("@bob:hs");
        irc.perform(new IrcIntent.Quit(alice, "bye"));
        assertTrue(asked.get("@alice:hs").contains("sendRawLine [QUIT :bye]"), asked.toString());
        assertTrue(state.find("net", "@alice:hs").isEmpty());
        assertEquals(Optional.of(bob), state.find("net", "@bob:hs"));
    }

    @Test
    void whatIsSaidToAConnectionThatQuitFailsAsItAlwaysDid() {
        UserConnectionView alice = connected("@alice:hs");
        irc.perform(new IrcIntent.Quit(alice, "bye"));
        Throwable failure = failure(irc.perform(new IrcIntent.Say(alice, "#c", MessageKind.MESSAGE, List.of("late"))));
        IrcConnectionFailed failed = assertInstanceOf(IrcConnectionFailed.class, failure);
        assertFalse(failed.permanent());
        assertFalse(asked.get("@alice:hs").contains("sendRawLine [PRIVMSG #c :late]"));
    }

    @Test
    void anIntentForAConnectionOfTheOwnerThatIsGoneIsNotDoneByTheirNextOne() {
        UserConnectionView first = connected("@alice:hs");
        irc.perform(new IrcIntent.Quit(first, "bye"));
        UserConnectionView next = connected("@alice:hs");
        asked.get("@alice:hs").clear();
        irc.perform(new IrcIntent.Join(first, "#c"));
        assertInstanceOf(IrcConnectionFailed.class,
                failure(irc.perform(new IrcIntent.Say(first, "#c", MessageKind.MESSAGE, List.of("late")))));
        assertEquals(List.of(), asked.get("@alice:hs"));
        irc.perform(new IrcIntent.Join(next, "#c"));
        assertEquals(List.of("addChannel [[#c]]"), asked.get("@alice:hs"));
    }

    @Test
    void anIntentNamingAnotherOwnersConnectionReachesNone() {
        UserConnectionView alice = connected("@alice:hs");
        irc.perform(new IrcIntent.Join("net", "@bob:hs", alice.number(), "#c"));
        assertEquals(List.of(), asked.get("@alice:hs"));
    }

    @Test
    void aNameThatCannotBeOnALineIsRefusedAsTheConnectionRefusedIt() {
        UserConnectionView alice = connected("@alice:hs");
        assertThrows(IrcLineRefused.class, () -> irc.perform(new IrcIntent.Ban(alice, "#c", "*")));
        assertEquals(List.of(), asked.get("@alice:hs"));
    }

    @Test
    void theBotsIntentsReachTheBot() {
        irc.perform(new IrcIntent.BotJoin("net", "#c"));
        irc.perform(new IrcIntent.BotInvite("net", "alice", "#c"));
        irc.perform(new IrcIntent.PauseReading("net"));
        irc.perform(new IrcIntent.ResumeReading("net"));
        assertEquals(List.of("join net #c", "invite net alice #c", "pause net", "resume net"), botCalls);
    }

    @Test
    void reconnectsAreAskedForAndForgotten() {
        irc.perform(new IrcIntent.ReconnectLater("net", "@alice:hs", Set.of("#c")));
        irc.perform(new IrcIntent.ForgetReconnects("net", "@alice:hs"));
        assertEquals(List.of("later net @alice:hs [#c]", "forget net @alice:hs"), reconnects.calls);
    }

    /** A connection of the owner, made (its client a fake) but not registered: enough to be asked things. */
    private UserConnectionView connected(String owner) {
        irc.perform(new IrcIntent.Connect("net", owner, owner.substring(1, owner.indexOf(':')), "x"));
        return state.find("net", owner).orElseThrow();
    }

    private static Throwable failure(CompletableFuture<Void> future) {
        ExecutionException e = assertThrows(ExecutionException.class, future::get);
        return e.getCause();
    }

    /** The connections, with fake clients, which only note what they are asked to do. */
    private final class FakeClients extends IrcUserConnections {
        FakeClients() {
            super(null, new Networks(List.of(network())), bots);
        }

        @Override
        Client newClient(IrcConnectionSpec spec, Object[] listeners) {
            List<String> calls = new java.util.concurrent.CopyOnWriteArrayList<>();
            asked.put(spec.realName(), calls);
            return fake(Client.class, calls);
        }
    }

    private final class Bots extends KeepsTheBotOnEachNetwork {
        Bots() {
            super(null, new Networks(List.of()), null);
        }

        @Override
        public int nickLength(String networkId) {
            return 30;
        }

        @Override
        public void joinChannel(String networkId, String channel) {
            botCalls.add("join " + networkId + " " + channel);
        }

        @Override
        public void invite(String networkId, String nick, String channel) {
            botCalls.add("invite " + networkId + " " + nick + " " + channel);
        }

        @Override
        public void pauseReading(String networkId) {
            botCalls.add("pause " + networkId);
        }

        @Override
        public void resumeReading(String networkId) {
            botCalls.add("resume " + networkId);
        }
    }

    private static final class Reconnects extends SchedulesUsersReconnects {
        final List<String> calls = new ArrayList<>();

        Reconnects() {
            super(null, null);
        }

        @Override
        public void reconnectLater(String network, String owner, Set<String> channels) {
            calls.add("later " + network + " " + owner + " " + channels);
        }

        @Override
        public void forget(String network, String owner) {
            calls.add("forget " + network + " " + owner);
        }
    }

    /** A network configuration: "net", without TLS, where secrets may go; everything else a default. */
    private static IrcConfig.Network network() {
        return proxy(IrcConfig.Network.class, Map.of("id", "net", "displayName", "Net", "host", "localhost",
                "allowPlaintextSecrets", true, "secretsMayBeSent", true));
    }

    /** An implementation of an interface answering {@code values} by method name, and a default for the rest. */
    private static <T> T proxy(Class<T> type, Map<String, Object> values) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                (p, m, args) -> values.containsKey(m.getName()) ? values.get(m.getName()) : defaultOf(m.getReturnType(), m.getName())));
    }

    /** A fake that notes every call which returns nothing, and answers the others with defaults. */
    private static <T> T fake(Class<T> type, List<String> calls) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (p, m, args) -> {
            if (m.getReturnType() == void.class) {
                calls.add(m.getName() + " " + java.util.Arrays.deepToString(args));
                return null;
            }
            return defaultOf(m.getReturnType(), m.getName());
        }));
    }

    private static Object defaultOf(Class<?> type, String name) {
        if (type == boolean.class) {
            return false;
        }
        if (type == int.class || type == long.class) {
            // Limits (connections, lines, nicks) large enough for the few connections of a test.
            return type == int.class ? (Object) 10 : (Object) 10L;
        }
        if (type == double.class) {
            return 0.0; // connections per second: unpaced
        }
        if (type == String.class) {
            return name;
        }
        if (type == Optional.class) {
            return Optional.empty();
        }
        if (type == OptionalInt.class) {
            return OptionalInt.empty();
        }
        if (type == Duration.class) {
            return Duration.ofSeconds(1);
        }
        if (Collection.class.isAssignableFrom(type)) {
            return type.isAssignableFrom(List.class) ? List.of() : Set.of();
        }
        if (type.isInterface()) {
            return proxy(type, Map.of());
        }
        return null;
    }
}
