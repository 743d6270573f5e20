package net.ircbridge.testbed;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

/**
 * A fake IRC server that a bridge's bot can register with and join one channel on, and that then, on
 * {@link #attack()}, sends everything a hostile or broken server could: thousands of lines of random bytes (NUL,
 * invalid UTF-8, lone CR and LF), 8 KB and 16 KB lines, numerics and commands with parameters missing, a NAMES reply
 * of {@link #NAMES_NICKS} nicks, a 10 KB and an 8 KB PRIVMSG, {@link #JOIN_STORM} JOINs, a storm of
 * {@link #NICK_STORM} NICK changes and a flood of {@link #FLOOD} PRIVMSGs; then it
 * drops the connection and refuses every reconnect (accepted and closed at once: the port stays this server's, so
 * that no other test server on the machine can be handed it and answer the bot's reconnects). The attack is the same on
 * every run (seeded).
 *
 * <p>One connection at a time (the bot's). Plain sockets on 127.0.0.1, a port of the system's choosing.
 */
public final class HostileIrcServer implements AutoCloseable {

    /** Nicks in the NAMES reply. */
    public static final int NAMES_NICKS = 20_000;
    /** NICK changes in the storm. */
    public static final int NICK_STORM = 5_000;
    /** Lines of random bytes. */
    public static final int RANDOM_LINES = 3_000;
    /** Nicks on the channel when the bot joins (so surely mirrored), and the ones the NICK storm renames. */
    public static final int EARLY_NICKS = 10;
    /** Users who JOIN after the NAMES, each once. */
    public static final int JOIN_STORM = 500;
    /** PRIVMSGs in the flood at the end, from {@link #FLOODER}. */
    public static final int FLOOD = 2_000;
    public static final String FLOODER = "flooder";
    /** Who says the long PRIVMSGs. */
    public static final String LONG_TALKER = "longtalker";

    private final String channel;
    private final String botNickToAttack;
    private final ServerSocket listener;
    private final Thread acceptor;
    private final Thread attacker;
    private final CountDownLatch botJoined = new CountDownLatch(1);
    private final CountDownLatch attackStarts = new CountDownLatch(1);
    private final CountDownLatch attackDone = new CountDownLatch(1);
    private final List<Socket> sockets = new CopyOnWriteArrayList<>();
    private final List<String> received = new CopyOnWriteArrayList<>();
    /** Nicks of the connections other than the bot's that joined the channel. */
    private final List<String> othersJoined = new CopyOnWriteArrayList<>();
    private volatile Socket botSocket;
    private volatile String botNick;
    /** How often the bot has joined the channel (again after {@link #dropBot()}). */
    private final java.util.concurrent.atomic.AtomicInteger botJoins = new java.util.concurrent.atomic.AtomicInteger();
    /** Once the attack is over: every new connection is closed as soon as it is accepted. */
    private volatile boolean refusing;
    private volatile long bytesSent;
    private volatile int connections;

    private HostileIrcServer(String channel, String botNick) throws IOException {
        this.channel = channel;
        this.botNickToAttack = botNick;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        this.acceptor = new Thread(this::accept, "hostile-irc-acceptor");
        this.acceptor.setDaemon(true);
        this.acceptor.start();
        this.attacker = new Thread(this::attackTheBot, "hostile-irc-attacker");
        this.attacker.setDaemon(true);
        this.attacker.start();
    }

    /**
     * Starts listening. Every connection can register and join {@code channel}; the one whose nick is
     * {@code botNick} is attacked on {@link #attack()}. The others (Matrix users' connections) stay up, quietly.
     */
    public static HostileIrcServer start(String channel, String botNick) {
        try {
            return new HostileIrcServer(channel, botNick);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public int port() {
        return this.listener.getLocalPort();
    }

    /** Waits until the bot has registered and joined the channel. */
    public boolean awaitBotJoined(java.time.Duration timeout) throws InterruptedException {
        return this.botJoined.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** How often the bot has joined the channel: once, and once more after each {@link #dropBot()}. */
    public int botJoins() {
        return this.botJoins.get();
    }

    /** Drops the bot's connection without a word, and lets it come back (no attack, the port stays open). */
    public void dropBot() throws IOException {
        Socket socket = this.botSocket;
        if (socket != null) {
            socket.close();
        }
    }

    /** Starts the attack on the bot's connection (once it has joined). */
    public void attack() {
        this.attackStarts.countDown();
    }

    /** Waits until everything is sent, the bot's connection dropped and reconnects refused. */
    public boolean awaitAttackDone(java.time.Duration timeout) throws InterruptedException {
        return this.attackDone.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    public boolean attackDone() {
        return this.attackDone.getCount() == 0;
    }

    /** Bytes written to the bot so far. */
    public long bytesSent() {
        return this.bytesSent;
    }

    /** Connections accepted so far (once the attack is over, every new one is refused). */
    public int connections() {
        return this.connections;
    }

    /** Nicks of the bridge's other connections (Matrix users') that joined the channel. */
    public List<String> othersJoined() {
        return List.copyOf(this.othersJoined);
    }

    /** The lines the bridge's connections sent. */
    public List<String> received() {
        return List.copyOf(this.received);
    }

    private void accept() {
        try {
            while (true) {
                Socket socket = this.listener.accept();
                if (this.refusing) {
                    socket.close();
                    continue;
                }
                this.connections++;
                this.sockets.add(socket);
                Thread reader = new Thread(() -> read(socket), "hostile-irc-reader-" + this.connections);
                reader.setDaemon(true);
                reader.start();
            }
        } catch (IOException e) {
            // The server is closed.
        }
    }

    private void attackTheBot() {
        try {
            if (!this.botJoined.await(300, TimeUnit.SECONDS) || !this.attackStarts.await(300, TimeUnit.SECONDS)) {
                return;
            }
            Socket socket = this.botSocket;
            if (socket != null && !socket.isClosed()) {
                OutputStream out = socket.getOutputStream();
                sendAttack(out);
                synchronized (out) {
                    out.flush();
                }
                // Refuse every reconnect from now on.
                this.refusing = true;
                // Drop: the end of the stream after the last byte (not a reset, which could lose what is unread).
                socket.shutdownOutput();
            }
        } catch (IOException | InterruptedException e) {
            // The bot went away or the test ended: nothing more to send.
        } finally {
            this.refusing = true;
            this.attackDone.countDown();
        }
    }

    /** Answers a connection's registration, PINGs and JOIN like a server would. */
    private void read(Socket socket) {
        try {
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            int b;
            boolean welcomed = false;
            String nick = null;
            String user = null;
            while ((b = in.read()) >= 0) {
                if (b != '\n') {
                    if (b != '\r' && line.size() < 4096) {
                        line.write(b);
                    }
                    continue;
                }
                String text = line.toString(StandardCharsets.UTF_8);
                line.reset();
                this.received.add(text);
                String[] words = text.split(" ");
                String command = words[0].toUpperCase(java.util.Locale.ROOT);
                if (command.equals("NICK") && words.length > 1 && !welcomed) {
                    nick = words[1];
                } else if (command.equals("USER")) {
                    user = words.length > 1 ? words[1] : "u";
                } else if (command.equals("PING") && words.length > 1) {
                    write(out, ":hostile.test PONG hostile.test " + words[1]);
                } else if (command.equals("JOIN") && welcomed && words.length > 1 && words[1].equalsIgnoreCase(this.channel)) {
                    write(out, ":" + nick + "!" + user + "@bridge.test JOIN " + this.channel);
                    StringBuilder early = new StringBuilder();
                    for (int i = 0; i < EARLY_NICKS; i++) {
                        early.append(" early").append(i);
                    }
                    write(out, ":hostile.test 353 " + nick + " = " + this.channel + " :" + nick + " opener" + early);
                    write(out, ":hostile.test 366 " + nick + " " + this.channel + " :End of /NAMES list.");
                    // KICL tracks a user (and so their NICKs) only once it has seen their user@host; WHO gets no answer here.
                    for (int i = 0; i < EARLY_NICKS; i++) {
                        write(out, ":early" + i + "!g@hostile.test JOIN " + this.channel);
                    }
                    if (nick.equals(this.botNickToAttack)) {
                        this.botNick = nick;
                        this.botSocket = socket;
                        this.botJoins.incrementAndGet();
                        this.botJoined.countDown();
                    } else if (!nick.equals(this.botNickToAttack)) {
                        this.othersJoined.add(nick);
                    }
                }
                if (!welcomed && user != null && nick != null) {
                    welcomed = true;
                    write(out, ":hostile.test 001 " + nick + " :Welcome to the hostile test network " + nick);
                    write(out, ":hostile.test 002 " + nick + " :Your host is hostile.test");
                    write(out, ":hostile.test 003 " + nick + " :This server was created today");
                    write(out, ":hostile.test 004 " + nick + " hostile.test fake-1.0 iow beiklmnopstv bklov");
                    write(out, ":hostile.test 005 " + nick + " CHANTYPES=# PREFIX=(ov)@+ CHANMODES=b,k,l,imnpst NICKLEN=30"
                            + " CHANNELLEN=64 NETWORK=Hostile CASEMAPPING=ascii :are supported by this server");
                    write(out, ":hostile.test 422 " + nick + " :MOTD File is missing");
                }
            }
        } catch (IOException e) {
            // Connection closed.
        }
    }

    private void write(OutputStream out, String line) throws IOException {
        writeRaw(out, (line + "\r\n").getBytes(StandardCharsets.UTF_8));
        synchronized (out) {
            out.flush();
        }
    }

    private void writeRaw(OutputStream out, byte[] bytes) throws IOException {
        synchronized (out) {
            out.write(bytes);
        }
        this.bytesSent += bytes.length;
    }

    /** The nick the storm leaves one of the early nicks with. */
    public static String lastNickOfEarly(int which) {
        return "early" + which + "r" + (NICK_STORM / EARLY_NICKS - 1);
    }

    private void sendAttack(OutputStream out) throws IOException {
        Random random = new Random(20261201L);
        String me = this.botNick;
        String ch = this.channel;

        // 1. Random bytes: NUL, invalid UTF-8, lone CR and LF; never the CR LF that ends a line.
        for (int i = 0; i < RANDOM_LINES; i++) {
            int length = 1 + random.nextInt(400);
            ByteArrayOutputStream line = new ByteArrayOutputStream(length + 2);
            if (i % 500 == 0) {
                // A few of them as a PRIVMSG to the channel, so that the bytes get as far as the relay.
                line.writeBytes((":garbler!g@hostile.test PRIVMSG " + ch + " :").getBytes(StandardCharsets.US_ASCII));
            }
            int previous = -1;
            for (int j = 0; j < length; j++) {
                int b = random.nextInt(256);
                if (previous == '\r' && b == '\n') {
                    b = 0;
                }
                line.write(b);
                previous = b;
            }
            if (previous == '\r') {
                line.write('x');
            }
            line.write('\r');
            line.write('\n');
            writeRaw(out, line.toByteArray());
        }
        writeRaw(out, new byte[] {0, 0, 0, '\r', '\n', (byte) 0xC3, (byte) 0x28, '\r', '\n', (byte) 0xFF, (byte) 0xFE, '\r', '\r', '\n'});

        // 2. Long lines: 8 KB (under KICL's 9001-byte frame limit) and 16 KB (over it).
        for (int i = 0; i < 10; i++) {
            write(out, ":hostile.test NOTICE " + me + " :" + "N".repeat(8 * 1024));
        }
        write(out, ":hostile.test NOTICE " + me + " :" + "X".repeat(16 * 1024));
        write(out, ":" + LONG_TALKER + "!l@hostile.test PRIVMSG " + ch + " :" + "eight kilobytes ".repeat(512));
        write(out, ":" + LONG_TALKER + "!l@hostile.test PRIVMSG " + ch + " :" + "ten kilobytes ".repeat(10 * 1024 / 14 + 1));
        // A nick past the outbox's column (255): once it held up every line after it ("the storm is over" must arrive).
        write(out, ":" + "n".repeat(300) + "!l@hostile.test PRIVMSG " + ch + " :from a nick of 300 characters");

        // 3. Numerics and commands with their parameters missing.
        String[] broken = {
            "353", ":hostile.test 353", ":hostile.test 353 " + me, ":hostile.test 353 " + me + " =",
            ":hostile.test 353 " + me + " = " + ch, ":hostile.test 366", ":hostile.test 366 " + me,
            ":hostile.test 332", ":hostile.test 332 " + me, ":hostile.test 333 " + me + " " + ch,
            ":hostile.test 005", ":hostile.test 005 " + me, ":hostile.test 005 " + me + " PREFIX= CHANMODES= CHANTYPES= NICKLEN=x",
            ":hostile.test 433", ":hostile.test 433 " + me, ":hostile.test 474", ":hostile.test 474 " + me,
            ":hostile.test 473", ":hostile.test 475 " + me, ":hostile.test 477", ":hostile.test 405", ":hostile.test 471 " + me,
            ":hostile.test 324", ":hostile.test 324 " + me, ":hostile.test 324 " + me + " " + ch,
            ":hostile.test 004", ":hostile.test 004 " + me, ":hostile.test 001",
            ":hostile.test 352", ":hostile.test 354", ":hostile.test 311", ":hostile.test 900", ":hostile.test 904",
            ":hostile.test 710", ":hostile.test 711", ":hostile.test 713", ":hostile.test 341",
            ":hostile.test 999999", ":hostile.test 0", ":hostile.test -1",
            ":x!u@h KICK", ":x!u@h KICK " + ch, ":x!u@h PART", ":x!u@h NICK", ":x!u@h MODE " + ch + " +o",
            ":x!u@h MODE " + ch + " +b", ":x!u@h MODE", ":x!u@h TOPIC", ":x!u@h TOPIC " + ch, ":x!u@h PRIVMSG",
            ":x!u@h PRIVMSG " + ch, ":x!u@h NOTICE", ":x!u@h INVITE", ":x!u@h INVITE " + me, ":x!u@h QUIT", ":x!u@h JOIN",
            ":x!u@h KNOCK", ":x!u@h ACCOUNT", ":x!u@h CHGHOST", ":x!u@h AWAY", ":x!u@h WALLOPS",
            "PING", "ERROR", ":hostile.test CAP", ":hostile.test CAP " + me, ":hostile.test CAP " + me + " ACK",
            ":hostile.test CAP " + me + " NEW", "AUTHENTICATE", ":hostile.test BATCH", ":hostile.test BATCH +x",
            ":hostile.test BATCH -nonexistent", "@", "@ ", "@a=b;;=;\\ :hostile.test 353", ":", " ", ":x!", "::::",
            "@batch=nope :y!u@h PRIVMSG " + ch + " :in a batch that never started",
        };
        for (String line : broken) {
            write(out, line);
        }

        // 4. NAMES with 20,000 nicks over many lines, then the end of it.
        StringBuilder names = new StringBuilder();
        int perLine = 0;
        for (int i = 0; i < NAMES_NICKS; i++) {
            names.append(i % 7 == 0 ? "+" : "").append(i < EARLY_NICKS ? "early" : "ghost").append(i).append(' ');
            if (++perLine == 40 || i == NAMES_NICKS - 1) {
                write(out, ":hostile.test 353 " + me + " = " + ch + " :" + names.toString().strip());
                names.setLength(0);
                perLine = 0;
            }
        }
        write(out, ":hostile.test 366 " + me + " " + ch + " :End of /NAMES list.");

        // 5. A storm of JOINs of users never seen before.
        for (int i = 0; i < JOIN_STORM; i++) {
            write(out, ":joiner" + i + "!j@hostile.test JOIN " + ch);
        }

        // 6. A storm of NICK changes of the nicks that were on the channel first (so are in the room), over and over.
        for (int i = 0; i < NICK_STORM; i++) {
            int who = i % EARLY_NICKS;
            int round = i / EARLY_NICKS;
            String from = round == 0 ? "early" + who : "early" + who + "r" + (round - 1);
            write(out, ":" + from + "!g@hostile.test NICK :early" + who + "r" + round);
        }
        // And, last, a line that must not stop anything either: one of the renamed talks.
        write(out, ":" + lastNickOfEarly(0) + "!g@hostile.test PRIVMSG " + ch + " :the storm is over");

        // 7. A flood of PRIVMSGs, far faster than a homeserver takes them.
        for (int i = 0; i < FLOOD; i++) {
            write(out, ":" + FLOODER + "!f@hostile.test PRIVMSG " + ch + " :flood line " + i);
        }
    }

    @Override
    public void close() {
        try {
            this.listener.close();
        } catch (IOException ignored) {
            // closing anyway
        }
        this.attackStarts.countDown();
        for (Socket socket : this.sockets) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing anyway
            }
        }
    }
}
