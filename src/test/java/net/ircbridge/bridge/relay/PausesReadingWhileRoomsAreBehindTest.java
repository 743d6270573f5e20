package net.ircbridge.bridge.relay;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.OptionalInt;
import net.ircbridge.config.RelayConfig;
import java.util.concurrent.CompletableFuture;
import net.ircbridge.irc.IrcIntent;
import net.ircbridge.irc.PerformsIrcIntents;
import net.ircbridge.store.PortalRoomStore.PortalRoom;
import org.junit.jupiter.api.Test;

class PausesReadingWhileRoomsAreBehindTest {

    /** The bots, reduced to what was asked of them. */
    private static final class Bots extends PerformsIrcIntents {
        final List<String> calls = new ArrayList<>();

        Bots() {
            super(null, null, null);
        }

        @Override
        public CompletableFuture<Void> perform(IrcIntent intent) {
            if (intent instanceof IrcIntent.PauseReading pause) {
                calls.add("pause " + pause.network());
            } else if (intent instanceof IrcIntent.ResumeReading resume) {
                calls.add("resume " + resume.network());
            }
            return CompletableFuture.completedFuture(null);
        }
    }

    private static <T> T proxy(Class<T> type, java.util.Map<String, Object> values) {
        return type.cast(Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type},
                (p, m, args) -> values.get(m.getName())));
    }

    private static java.util.function.IntSupplier counts(Integer... values) {
        Iterator<Integer> it = List.of(values).iterator();
        int[] last = {0};
        return () -> it.hasNext() ? (last[0] = it.next()) : last[0];
    }

    private final Bots bots = new Bots();
    private final PausesReadingWhileRoomsAreBehind reading = new PausesReadingWhileRoomsAreBehind(bots,
            proxy(RelayConfig.class, java.util.Map.of("maxRoomBacklog", OptionalInt.of(10), "maxQueuedIrcLines", 100)));
    private final PortalRoom room = new PortalRoom("net", "#c", "!r:hs", null);

    @Test
    void aPauseForTheStoreEndsWhenTheWriterCaughtUpJustBeforeIt() {
        // The writer's last call (down to 0) came between the read of 10 000 and the pause.
        reading.mayStore("net", counts(PausesReadingWhileRoomsAreBehind.MAX_UNWRITTEN, 0));
        assertEquals(List.of("pause net", "resume net"), bots.calls);
    }

    @Test
    void aPauseForTheStoreStaysWhileTheWriterIsBehind() {
        reading.mayStore("net", counts(PausesReadingWhileRoomsAreBehind.MAX_UNWRITTEN));
        assertEquals(List.of("pause net"), bots.calls);
        reading.writerAt(0);
        assertEquals(List.of("pause net", "resume net"), bots.calls);
    }

    @Test
    void aPauseForARoomEndsWhenItCaughtUpJustBeforeIt() {
        reading.roomAt(room, counts(10, 0));
        assertEquals(List.of("pause net", "resume net"), bots.calls);
    }

    @Test
    void aPauseForARoomStaysWhileItIsBehindAndEndsAtHalf() {
        reading.roomAt(room, counts(12));
        reading.roomAt(room, counts(6));
        assertEquals(List.of("pause net"), bots.calls);
        reading.roomAt(room, counts(5));
        assertEquals(List.of("pause net", "resume net"), bots.calls);
    }
}
