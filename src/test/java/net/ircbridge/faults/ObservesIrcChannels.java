package net.ircbridge.faults;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import net.ircbridge.faults.ChecksFaultInvariants.Presence;
import net.ircbridge.faults.Traffic.Received;
import net.ircbridge.faults.Traffic.Token;
import net.ircbridge.testbed.IrcMessage;

/**
 * The IRC side's witness: an IRC operator on every channel of a fault case that keeps, with the time it read them,
 * every numbered message said on a channel and every arrival and departure of a nick (JOIN, PART, KICK, QUIT,
 * NICK, NAMES). It reconnects by itself (every 200 ms) when its connection drops, e.g. while the IRC server
 * restarts; while it is away it counts everyone as gone. It also sends the chaos run's KILLs.
 */
final class ObservesIrcChannels implements AutoCloseable {

    /** A numbered message said on a channel, and who said it. */
    record Said(String channel, String nick, Token token, long atMillis) {
    }

    private final String host;
    private final int port;
    private final String baseNick;
    private final String operName;
    private final String operPassword;
    private final Set<String> channels;
    private final List<Said> said = new ArrayList<>();
    private final Map<String, Map<String, List<Presence>>> presence = new HashMap<>();
    private final Map<String, Set<String>> onChannel = new HashMap<>();
    private final Set<String> joined = new HashSet<>();
    private final Thread reader;
    private volatile boolean closed;
    private volatile Socket socket;
    private volatile OutputStream out;
    private int connections;

    ObservesIrcChannels(String host, int port, String nick, String operName, String operPassword, Set<String> channels) {
        this.host = host;
        this.port = port;
        this.baseNick = nick;
        this.operName = operName;
        this.operPassword = operPassword;
        this.channels = Set.copyOf(channels.stream().map(c -> c.toLowerCase(Locale.ROOT)).toList());
        this.reader = new Thread(this::run, "fault-observer-" + nick);
        reader.setDaemon(true);
        reader.start();
    }

    /** Whether the observer is connected, an operator and on every channel now. */
    synchronized boolean onEveryChannel() {
        return joined.containsAll(channels);
    }

    /** How many times the observer has connected (more than 1: it was disconnected in between). */
    synchronized int connections() {
        return connections;
    }

    /** Every numbered message said on the channels so far, in the order the observer read them. */
    synchronized List<Said> said() {
        return List.copyOf(said);
    }

    /** The arrivals in {@code channel} of the messages of one direction, in order. */
    synchronized List<Received> arrivals(String channel, Traffic.Direction direction) {
        return said.stream().filter(s -> s.channel().equalsIgnoreCase(channel) && s.token().direction() == direction)
                .map(s -> new Received(s.token(), s.atMillis())).toList();
    }

    /**
     * Presence on {@code channel} of every nick that starts with {@code nickPrefix} (case-insensitive), merged: a
     * user whose connection came back with another nick ({@code nick_}) counts as the same user.
     */
    synchronized List<Presence> presence(String channel, String nickPrefix) {
        String prefix = nickPrefix.toLowerCase(Locale.ROOT);
        List<Presence> all = new ArrayList<>();
        presence.getOrDefault(channel.toLowerCase(Locale.ROOT), Map.of()).forEach((nick, changes) -> {
            if (nick.startsWith(prefix)) {
                all.addAll(changes);
            }
        });
        all.sort((a, b) -> Long.compare(a.atMillis(), b.atMillis()));
        List<Presence> merged = new ArrayList<>();
        Set<String> present = new HashSet<>();
        for (Presence p : all) {
            boolean before = !present.isEmpty();
            if (p.present()) {
                present.add(p.nick());
            } else {
                present.remove(p.nick());
            }
            if (before != !present.isEmpty()) {
                merged.add(new Presence(nickPrefix, !present.isEmpty(), p.atMillis()));
            }
        }
        return merged;
    }

    /** Whether a nick starting with {@code nickPrefix} is on {@code channel} now. */
    synchronized boolean isOn(String channel, String nickPrefix) {
        String prefix = nickPrefix.toLowerCase(Locale.ROOT);
        return onChannel.getOrDefault(channel.toLowerCase(Locale.ROOT), Set.of()).stream().anyMatch(n -> n.startsWith(prefix));
    }

    /** The nicks on {@code channel} now (lower case). */
    synchronized Set<String> nicksOn(String channel) {
        return Set.copyOf(onChannel.getOrDefault(channel.toLowerCase(Locale.ROOT), Set.of()));
    }

    /** Sends a raw line (e.g. a KILL); false when not connected. */
    boolean send(String line) {
        OutputStream o = out;
        if (o == null) {
            return false;
        }
        try {
            synchronized (o) {
                o.write((line + "\r\n").getBytes(StandardCharsets.UTF_8));
                o.flush();
            }
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private void run() {
        int attempt = 0;
        while (!closed) {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(host, port), 5000);
                socket = s;
                out = s.getOutputStream();
                String nick = attempt == 0 ? baseNick : baseNick.substring(0, Math.min(baseNick.length(), 10)) + (attempt % 90 + 10);
                attempt++;
                send("NICK " + nick);
                send("USER " + nick + " 0 * :fault suite observer");
                read(s);
            } catch (IOException e) {
                // not reachable (the server restarts): try again below
            } finally {
                out = null;
                allGone(System.currentTimeMillis());
            }
            if (!closed) {
                try {
                    Thread.sleep(200); // the pace of reconnect attempts, not a wait for a condition
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    private void read(Socket s) throws IOException {
        BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.UTF_8));
        String line;
        while ((line = in.readLine()) != null) {
            IrcMessage m = IrcMessage.parse(line);
            long now = m.receivedAtMillis();
            switch (m.command()) {
                case "PING" -> send("PONG :" + m.trailing());
                case "001" -> {
                    synchronized (this) {
                        connections++;
                    }
                    send("OPER " + operName + " " + operPassword);
                    send("JOIN " + String.join(",", channels));
                }
                case "433" -> send("NICK " + baseNick.substring(0, Math.min(baseNick.length(), 9)) + "_" + (now % 100));
                case "PRIVMSG" -> {
                    Token t = Token.parse(m.trailing());
                    if (t != null && channels.contains(m.param(0).toLowerCase(Locale.ROOT))) {
                        synchronized (this) {
                            said.add(new Said(m.param(0), m.sourceNick(), t, now));
                        }
                    }
                }
                case "JOIN" -> change(m.param(0), m.sourceNick(), true, now);
                case "PART" -> change(m.param(0), m.sourceNick(), false, now);
                case "KICK" -> change(m.param(0), m.param(1), false, now);
                case "QUIT" -> quit(m.sourceNick(), now);
                case "NICK" -> nick(m.sourceNick(), m.param(0), now);
                case "353" -> {
                    for (String entry : m.trailing().split(" ")) {
                        String name = entry.replaceFirst("^[~&@%+]+", "");
                        int bang = name.indexOf('!');
                        if (!name.isEmpty()) {
                            change(m.param(2), bang >= 0 ? name.substring(0, bang) : name, true, now);
                        }
                    }
                }
                case "366" -> {
                    synchronized (this) {
                        joined.add(m.param(1).toLowerCase(Locale.ROOT));
                    }
                }
                default -> {
                }
            }
        }
    }

    private synchronized void change(String channel, String nick, boolean present, long at) {
        String c = channel.toLowerCase(Locale.ROOT);
        String n = nick.toLowerCase(Locale.ROOT);
        Set<String> on = onChannel.computeIfAbsent(c, k -> new HashSet<>());
        boolean changed = present ? on.add(n) : on.remove(n);
        if (changed) {
            presence.computeIfAbsent(c, k -> new HashMap<>()).computeIfAbsent(n, k -> new ArrayList<>()).add(new Presence(n, present, at));
        }
    }

    private synchronized void quit(String nick, long at) {
        for (String c : List.copyOf(onChannel.keySet())) {
            change(c, nick, false, at);
        }
    }

    private synchronized void nick(String from, String to, long at) {
        for (String c : List.copyOf(onChannel.keySet())) {
            if (onChannel.get(c).contains(from.toLowerCase(Locale.ROOT))) {
                change(c, from, false, at);
                change(c, to, true, at);
            }
        }
    }

    private synchronized void allGone(long at) {
        for (String c : List.copyOf(onChannel.keySet())) {
            for (String n : List.copyOf(onChannel.get(c))) {
                change(c, n, false, at);
            }
        }
        joined.clear();
    }

    @Override
    public void close() {
        closed = true;
        Socket s = socket;
        if (s != null) {
            try {
                s.close();
            } catch (IOException ignored) {
                // closed already
            }
        }
    }
}
