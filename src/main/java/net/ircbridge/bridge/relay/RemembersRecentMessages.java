package net.ircbridge.bridge.relay;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The latest messages that crossed the bridge, by Matrix event id: who said them on IRC (their nick) and their
 * plain text. Replies, edits and reactions quote and name the original from here, without asking the homeserver.
 * Bounded: the oldest are forgotten first (and then looked up on the homeserver).
 */
@ApplicationScoped
public class RemembersRecentMessages {

    static final int CAPACITY = 10_000;

    /** A message as IRC knows it: the nick that said it and its text. */
    public record Said(String nick, String text) {
    }

    private final Map<String, Said> byEventId = new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Said> eldest) {
            return size() > CAPACITY;
        }
    };

    public synchronized void remember(String eventId, String nick, String text) {
        if (eventId != null && !eventId.isEmpty()) {
            byEventId.put(eventId, new Said(nick, text));
        }
    }

    public synchronized Optional<Said> recall(String eventId) {
        return Optional.ofNullable(byEventId.get(eventId));
    }
}
