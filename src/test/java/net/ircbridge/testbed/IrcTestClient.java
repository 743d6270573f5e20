package net.ircbridge.testbed;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

/**
 * A real IRC client on a plain socket. A reader thread answers PINGs and buffers every other line;
 * {@link #awaitLine} takes the first buffered line that matches and leaves the others for later waits, so no
 * line is lost between two waits.
 */
public final class IrcTestClient implements AutoCloseable {

    private static final Duration TIMEOUT = TestBed.DEFAULT_TIMEOUT;
    private static final Set<String> JOIN_ERRORS = Set.of("403", "405", "437", "471", "473", "474", "475", "477", "489");

    private final Socket socket;
    private final OutputStream out;
    private final String operName;
    private final String operPassword;
    private final LinkedList<IrcMessage> pending = new LinkedList<>();
    private final List<String> allLines = new ArrayList<>();
    private volatile String nick;
    private boolean closed;

    private IrcTestClient(Socket socket, String nick, String operName, String operPassword) throws IOException {
        this.socket = socket;
        this.out = socket.getOutputStream();
        this.nick = nick;
        this.operName = operName;
        this.operPassword = operPassword;
        Thread reader = new Thread(this::readLoop, "irc-test-" + nick);
        reader.setDaemon(true);
        reader.start();
    }

    /** Connects to the test bed's IRC server as {@code nick} and waits until registered (001). */
    public static IrcTestClient connect(TestBed bed, String nick) {
        return connect(bed.ircHost(), bed.ircPort(), nick, bed.operName(), bed.operPassword(), TIMEOUT);
    }

    /**
     * Connects to any IRC server and registers with NICK/USER.
     *
     * @throws IllegalStateException when registration fails (433 nick in use, ERROR, closed) or times out
     */
    public static IrcTestClient connect(String host, int port, String nick, String operName, String operPassword, Duration timeout) {
        Socket socket = new Socket();
        IrcTestClient client = null;
        try {
            socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
            client = new IrcTestClient(socket, nick, operName, operPassword);
            client.send("NICK " + nick);
            client.send("USER " + nick + " 0 * :test client " + nick);
            IrcMessage answer = client.awaitMessage(m -> m.is("001") || m.is("432") || m.is("433") || m.is("ERROR"), timeout);
            if (!answer.is("001")) {
                throw new IllegalStateException("registration as " + nick + " failed: " + answer.raw());
            }
            return client;
        } catch (IOException | RuntimeException | AssertionError e) {
            if (client != null) {
                client.close();
            } else {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // nothing to clean up
                }
            }
            throw e instanceof IllegalStateException ise ? ise : new IllegalStateException("cannot connect " + nick + " to " + host + ":" + port, e);
        }
    }

    /** The nick this client registered with (updated when the server confirms a NICK change). */
    public String nick() {
        return nick;
    }

    /** Sends one raw line (without CR LF). */
    public synchronized void send(String line) {
        if (line.indexOf('\r') >= 0 || line.indexOf('\n') >= 0 || line.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("CR, LF or NUL in an IRC line: " + line);
        }
        try {
            out.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) {
            throw new IllegalStateException(nick + " cannot send: " + e, e);
        }
    }

    /** Sends a PRIVMSG. */
    public void privmsg(String target, String text) {
        send("PRIVMSG " + target + " :" + text);
    }

    /**
     * Waits for a received line matching {@code match} and takes it from the buffer.
     *
     * @throws AssertionError when none comes within {@code timeout} or the connection closes first
     */
    public String awaitLine(Predicate<String> match, Duration timeout) {
        return awaitMessage(m -> match.test(m.raw()), timeout).raw();
    }

    /** As {@link #awaitLine}, matching parsed messages. */
    public IrcMessage awaitMessage(Predicate<IrcMessage> match, Duration timeout) {
        Deadline deadline = Deadline.in(timeout);
        synchronized (pending) {
            while (true) {
                Iterator<IrcMessage> it = pending.iterator();
                while (it.hasNext()) {
                    IrcMessage m = it.next();
                    if (match.test(m)) {
                        it.remove();
                        return m;
                    }
                }
                if (closed) {
                    throw new AssertionError(nick + ": connection closed before a matching line came; unclaimed: " + rawLines());
                }
                if (deadline.expired()) {
                    throw new AssertionError(nick + ": no matching line within " + timeout.toMillis() + " ms; unclaimed: " + rawLines());
                }
                try {
                    pending.wait(Math.max(1, deadline.remaining().toMillis()));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted", e);
                }
            }
        }
    }

    /** Waits for a PRIVMSG to {@code target} (a channel or this nick) with exactly {@code text}. */
    public IrcMessage awaitPrivmsg(String target, String text, Duration timeout) {
        return awaitMessage(m -> m.is("PRIVMSG") && m.param(0).equalsIgnoreCase(target) && m.trailing().equals(text), timeout);
    }

    /** Every line received so far (PINGs excepted), claimed or not. */
    public List<String> receivedLines() {
        synchronized (pending) {
            return List.copyOf(allLines);
        }
    }

    /**
     * Joins a channel and waits for the end of its NAMES (366).
     *
     * @return the nicks in the channel
     * @throws IllegalStateException when the server refuses the join (471, 473, 474, 475, 477, ...)
     */
    public Set<String> join(String channel) {
        send("JOIN " + channel);
        return collectNames(channel, true);
    }

    /** Sends NAMES and returns the nicks in the channel, channel-status prefixes and user@host stripped. */
    public Set<String> names(String channel) {
        send("NAMES " + channel);
        return collectNames(channel, false);
    }

    private Set<String> collectNames(String channel, boolean joining) {
        Set<String> names = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
        while (true) {
            IrcMessage m = awaitMessage(x -> (x.is("353") && x.param(2).equalsIgnoreCase(channel))
                    || (x.is("366") && x.param(1).equalsIgnoreCase(channel))
                    || (joining && JOIN_ERRORS.contains(x.command()) && x.param(1).equalsIgnoreCase(channel)), TIMEOUT);
            if (m.is("366")) {
                return names;
            }
            if (!m.is("353")) {
                throw new IllegalStateException(nick + " cannot join " + channel + ": " + m.raw());
            }
            for (String entry : m.trailing().split(" ")) {
                String name = entry.replaceFirst("^[~&@%+]+", "");
                int bang = name.indexOf('!');
                if (bang >= 0) {
                    name = name.substring(0, bang);
                }
                if (!name.isEmpty()) {
                    names.add(name);
                }
            }
        }
    }

    /** WHOIS: whether the nick is on the network now (311 rather than 401). */
    public boolean whois(String target) {
        send("WHOIS " + target);
        IrcMessage m = awaitMessage(x -> (x.is("311") || x.is("401")) && x.param(1).equalsIgnoreCase(target), TIMEOUT);
        awaitMessage(x -> x.is("318") && x.param(1).equalsIgnoreCase(target), TIMEOUT);
        return m.is("311");
    }

    /** Becomes an IRC operator with the test bed's oper account; waits for 381. */
    public void oper() {
        send("OPER " + operName + " " + operPassword);
        IrcMessage m = awaitMessage(x -> x.is("381") || x.is("464") || x.is("491"), TIMEOUT);
        if (!m.is("381")) {
            throw new IllegalStateException(nick + " cannot oper up: " + m.raw());
        }
    }

    /** Sends QUIT and waits (briefly) for the server to close the connection. */
    public void quit(String reason) {
        if (!isConnected()) {
            return;
        }
        send("QUIT :" + reason);
        try {
            awaitMessage(m -> m.is("ERROR"), Duration.ofSeconds(5));
        } catch (AssertionError ignored) {
            // closed without ERROR, or slow: close() below ends it either way
        }
        close();
    }

    /** Sends QUIT without a reason. */
    public void quit() {
        quit("bye");
    }

    /** Whether the connection is still open. */
    public boolean isConnected() {
        synchronized (pending) {
            return !closed;
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    private void readLoop() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                IrcMessage m = IrcMessage.parse(line);
                if (m.is("PING")) {
                    send("PONG :" + m.trailing());
                    continue;
                }
                if (m.is("NICK") && nick.equalsIgnoreCase(m.sourceNick())) {
                    nick = m.param(0);
                }
                synchronized (pending) {
                    allLines.add(line);
                    pending.add(m);
                    pending.notifyAll();
                }
            }
        } catch (IOException | RuntimeException e) {
            // the socket was closed: by us, by the server, or by a kill
        } finally {
            synchronized (pending) {
                closed = true;
                pending.notifyAll();
            }
        }
    }

    private List<String> rawLines() {
        return pending.stream().map(IrcMessage::raw).toList();
    }

    @Override
    public String toString() {
        return "IrcTestClient[" + nick + "]";
    }
}
