package net.ircbridge.irc.kicl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;

import net.engio.mbassy.listener.Invoke;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.kitteh.irc.client.library.Client;
import org.kitteh.irc.client.library.element.Channel;
import org.kitteh.irc.client.library.event.channel.ChannelJoinEvent;
import org.kitteh.irc.client.library.event.client.ClientReceiveNumericEvent;
import org.kitteh.irc.client.library.event.connection.ClientConnectionClosedEvent;
import org.kitteh.irc.client.library.feature.filter.NumericFilter;

/** Event dispatch, exception routing and reconnect handling of factory-built clients, without a server. */
class IrcClientFactoryTest {

    /**
     * The KICL exception logger, as java.util.logging sees it: the bridge logs through JBoss logging, whose log
     * manager (the tests' {@code java.util.logging.manager}) backs both with the same logger. Held here so that it
     * is not collected while a handler is on it.
     */
    private static final java.util.logging.Logger KICL_LOG = java.util.logging.Logger.getLogger("net.ircbridge.irc.kicl");

    private final IrcClientFactory factory = new IrcClientFactory();
    private final List<Client> clients = new ArrayList<>();

    @AfterEach
    void tearDown() {
        this.clients.forEach(c -> c.shutdown("test over"));
        this.factory.close();
    }

    private Client build(String nick, Object... listeners) {
        Client c = this.factory.build(IrcConnectionSpec.of(nick, "127.0.0.1", 6667, false, nick, "u", "real"), listeners);
        this.clients.add(c);
        return c;
    }

    /** Feeds a line as if the server had sent it; it is handled on the client's input thread. */
    private static void serverSays(Client client, String line) {
        ((Client.WithManagement) client).processLine(line);
    }

    public static class Recorder {
        final List<String> calls = new CopyOnWriteArrayList<>();
        final CountDownLatch joined = new CountDownLatch(1);

        @net.engio.mbassy.listener.Handler(priority = 10)
        public void high(Object event) {
            if (event instanceof TestEvent) {
                this.calls.add("high");
            }
        }

        @net.engio.mbassy.listener.Handler
        public void normal(TestEvent event) {
            this.calls.add("normal");
        }

        @net.engio.mbassy.listener.Handler(priority = -5)
        public void low(TestEvent event) {
            this.calls.add("low");
        }

        @net.engio.mbassy.listener.Handler(rejectSubtypes = true)
        public void exact(TestEvent event) {
            this.calls.add("exact");
        }

        @NumericFilter(1)
        @net.engio.mbassy.listener.Handler
        public void welcome(ClientReceiveNumericEvent event) {
            this.calls.add("001");
        }

        @net.engio.mbassy.listener.Handler
        public void join(ChannelJoinEvent event) {
            this.calls.add("join " + event.getChannel().getName());
            this.joined.countDown();
        }
    }

    /** high first, low last, the two priority-0 handlers sorted. */
    private static List<String> inPriorityGroups(List<String> calls) {
        assertEquals(4, calls.size(), calls.toString());
        List<String> middle = new ArrayList<>(calls.subList(1, 3));
        middle.sort(null);
        return List.of(calls.get(0), middle.get(0), middle.get(1), calls.get(3));
    }

    public static class TestEvent {
    }

    public static class SubTestEvent extends TestEvent {
    }

    @Test
    void handlersRunInPriorityOrderAndRespectRejectSubtypes() {
        Recorder r = new Recorder();
        Client c = build("n1", r);
        c.getEventManager().callEvent(new TestEvent());
        // Equal priorities (normal, exact) have no defined order, as in MBassador.
        assertEquals(List.of("high", "exact", "normal", "low"), inPriorityGroups(r.calls));
        r.calls.clear();
        c.getEventManager().callEvent(new SubTestEvent());
        assertEquals(List.of("high", "normal", "low"), r.calls);
    }

    @Test
    void serverLinesReachDefaultListenersAndNumericFilters() throws InterruptedException {
        Recorder r = new Recorder();
        Client c = build("alice", r);
        serverSays(c, ":irc.test 001 alice :Welcome");
        serverSays(c, ":irc.test 002 alice :Your host");
        serverSays(c, ":irc.test 005 alice CHANTYPES=# PREFIX=(ov)@+ NETWORK=TestNet :are supported");
        serverSays(c, ":alice!u@127.0.0.1 JOIN #room");
        serverSays(c, ":irc.test 353 alice = #room :alice @bob");
        serverSays(c, ":irc.test 366 alice #room :End of /NAMES list.");
        assertTrue(r.joined.await(5, TimeUnit.SECONDS));
        // The input thread handles lines in order; wait for the NAMES to land.
        long deadline = System.currentTimeMillis() + 5000;
        while (System.currentTimeMillis() < deadline
                && c.getChannel("#room").map(ch -> ch.getNicknames().size()).orElse(0) < 2) {
            Thread.sleep(10);
        }
        assertTrue(r.calls.contains("001"));
        assertFalse(r.calls.stream().anyMatch(s -> s.equals("002")));
        Channel room = c.getChannel("#room").orElseThrow();
        assertEquals(List.of("alice", "bob"), room.getNicknames().stream().sorted().toList());
        assertEquals("TestNet", c.getServerInfo().getNetworkName().orElse(""));
    }

    public static class Thrower {
        @net.engio.mbassy.listener.Handler(priority = 5)
        public void boom(TestEvent event) {
            throw new IllegalStateException("boom");
        }
    }

    @Test
    void handlerExceptionsAreLoggedAndDispatchContinues() {
        List<LogRecord> records = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                records.add(record);
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        KICL_LOG.addHandler(capture);
        try {
            Recorder r = new Recorder();
            Client c = build("n2", new Thrower(), r);
            c.getEventManager().callEvent(new TestEvent());
            assertEquals(List.of("high", "exact", "normal", "low"), inPriorityGroups(r.calls));
            assertEquals(1, records.size());
            assertEquals(Level.WARNING, records.get(0).getLevel());
            assertTrue(records.get(0).getMessage().contains("n2"));
        } finally {
            KICL_LOG.removeHandler(capture);
        }
    }

    @Test
    void insecureNagIsNotLoggedAboveDebug() {
        List<LogRecord> records = new CopyOnWriteArrayList<>();
        Handler capture = new Handler() {
            @Override
            public void publish(LogRecord record) {
                if (record.getLevel().intValue() > Level.FINE.intValue()) {
                    records.add(record);
                }
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        KICL_LOG.addHandler(capture);
        try {
            Client c = build("n3");
            c.getExceptionListener().queue(new org.kitteh.irc.client.library.exception.KittehNagException("Connection is insecure."));
            assertTrue(records.isEmpty());
        } finally {
            KICL_LOG.removeHandler(capture);
        }
    }

    @Test
    void kiclReconnectIsAlwaysDisabled() {
        Client c = build("n4");
        ClientConnectionClosedEvent event = new ClientConnectionClosedEvent(c, true, null, null);
        event.setAttemptReconnect(true);
        c.getEventManager().callEvent(event);
        assertFalse(event.willAttemptReconnect());
    }

    @Test
    void clientsOfOneFactoryShareDispatchMetadata() {
        Recorder r = new Recorder();
        build("a1", r);
        int layouts = this.factory.eventDispatch().layoutCount();
        for (int i = 0; i < 20; i++) {
            build("x" + i, new Recorder());
        }
        assertEquals(layouts, this.factory.eventDispatch().layoutCount());
    }

    public static class AsyncListener {
        @net.engio.mbassy.listener.Handler(delivery = Invoke.Asynchronously)
        public void later(TestEvent event) {
        }
    }

    @Test
    void unsupportedMbassadorFeaturesFailAtRegistration() {
        assertThrows(IllegalArgumentException.class, () -> build("n5", new AsyncListener()));
    }

    @Test
    void sendRateCanBeChangedPerConnection() {
        Client c = this.factory.build(IrcConnectionSpec.of("n6", "127.0.0.1", 6667, false, "n6", "u", "r")
                .withSendRate(SendRate.UNLIMITED));
        this.clients.add(c);
        assertEquals(SendRate.UNLIMITED, IrcClientFactory.sendingQueue(c).orElseThrow().getSendRate());
        IrcClientFactory.sendingQueue(c).orElseThrow().setSendRate(SendRate.DEFAULT);
        assertEquals(SendRate.DEFAULT, IrcClientFactory.sendingQueue(c).orElseThrow().getSendRate());
    }
}
