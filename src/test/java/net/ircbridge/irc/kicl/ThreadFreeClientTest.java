package net.ircbridge.irc.kicl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import net.engio.mbassy.listener.Handler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.kitteh.irc.client.library.Client;
import org.kitteh.irc.client.library.event.channel.ChannelMessageEvent;
import org.kitteh.irc.client.library.event.client.ClientNegotiationCompleteEvent;

/** The factory's thread-free clients against a scripted IRC server on loopback. */
class ThreadFreeClientTest {
    private final ExecutorService serverThread = Executors.newSingleThreadExecutor();
    private IrcClientFactory factory;
    private Client client;

    @AfterEach
    void tearDown() {
        if (this.client != null) {
            this.client.shutdown("bye");
        }
        if (this.factory != null) {
            this.factory.close();
        }
        this.serverThread.shutdownNow();
    }

    public static class Events {
        final CountDownLatch registered = new CountDownLatch(1);
        final List<String> messages = new CopyOnWriteArrayList<>();
        final CountDownLatch threeMessages = new CountDownLatch(3);

        @Handler
        public void registered(ClientNegotiationCompleteEvent e) {
            this.registered.countDown();
        }

        @Handler
        public void message(ChannelMessageEvent e) {
            this.messages.add(e.getMessage());
            this.threeMessages.countDown();
        }
    }

    private static boolean kiclThreadAlive(String clientName) {
        return Thread.getAllStackTraces().keySet().stream()
                .anyMatch(t -> t.isAlive() && t.getName().startsWith("KICL") && t.getName().contains("(" + clientName + ")"));
    }

    @Test
    void buildsWithoutPerClientThreads() throws InterruptedException {
        this.factory = new IrcClientFactory();
        this.client = this.factory.build(IrcConnectionSpec.of("tf1", "127.0.0.1", 6667, false, "tf1", "u", "r"));
        assertTrue(IrcClientFactory.isThreadFree(this.client));
        long deadline = System.currentTimeMillis() + 5000;
        while (kiclThreadAlive("tf1") && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        assertFalse(kiclThreadAlive("tf1"), "KICL's per-client threads should have ended");
    }

    @Test
    void inputThreadsZeroKeepsKiclThreads() {
        this.factory = new IrcClientFactory(SendRate.DEFAULT, null, 0);
        this.client = this.factory.build(IrcConnectionSpec.of("tf2", "127.0.0.1", 6667, false, "tf2", "u", "r"));
        assertFalse(IrcClientFactory.isThreadFree(this.client));
        assertTrue(kiclThreadAlive("tf2"));
    }

    @Test
    void registersAnswersPingAndKeepsLineOrder() throws Exception {
        this.factory = new IrcClientFactory();
        BlockingQueue<String> fromClient = new LinkedBlockingQueue<>();
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            this.serverThread.submit(() -> {
                try (Socket s = server.accept()) {
                    BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
                    OutputStream out = s.getOutputStream();
                    String line;
                    boolean welcomed = false;
                    while ((line = in.readLine()) != null) {
                        fromClient.add(line);
                        if (line.startsWith("CAP LS")) {
                            send(out, ":srv CAP * LS :");
                        } else if (line.startsWith("USER") && !welcomed) {
                            welcomed = true;
                            send(out, "PING :check1");
                            send(out, ":srv 001 tf3 :Welcome");
                            send(out, ":srv 002 tf3 :Your host");
                            send(out, ":srv 003 tf3 :Created");
                            send(out, ":srv 004 tf3 srv test-1.0 iosw biklmnopstv");
                            send(out, ":srv 005 tf3 CHANTYPES=# PREFIX=(ov)@+ :are supported");
                            send(out, ":srv 422 tf3 :No MOTD");
                            send(out, ":tf3!u@h JOIN #c");
                            for (int i = 1; i <= 3; i++) {
                                send(out, ":bob!b@h PRIVMSG #c :m" + i);
                            }
                        }
                    }
                } catch (Exception e) {
                    fromClient.add("SERVER ERROR " + e);
                }
                return null;
            });
            Events events = new Events();
            this.client = this.factory.connect(IrcConnectionSpec.of("tf3", "127.0.0.1", server.getLocalPort(), false, "tf3", "u", "r"), events);
            assertTrue(events.registered.await(10, TimeUnit.SECONDS), "no ClientNegotiationCompleteEvent; server saw " + fromClient);
            assertTrue(events.threeMessages.await(10, TimeUnit.SECONDS));
            assertEquals(List.of("m1", "m2", "m3"), events.messages);
            String pong = null;
            long deadline = System.currentTimeMillis() + 5000;
            while (pong == null && System.currentTimeMillis() < deadline) {
                String l = fromClient.poll(100, TimeUnit.MILLISECONDS);
                if (l != null && l.startsWith("PONG")) {
                    pong = l;
                }
            }
            assertEquals("PONG :check1", pong);
            assertTrue(IrcClientFactory.isThreadFree(this.client));
        }
    }

    private static void send(OutputStream out, String line) throws java.io.IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }
}
