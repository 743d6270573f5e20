package net.ircbridge.irc;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.reflect.Method;
import java.util.List;
import net.ircbridge.irc.kicl.SharedEventDispatch;
import org.junit.jupiter.api.Test;
import org.kitteh.irc.client.library.event.channel.RequestedChannelJoinCompleteEvent;
import org.kitteh.irc.client.library.event.client.ClientReceiveNumericEvent;

/** The order in which a person's connection's listeners take what its client hears. */
class UserConnectionListenersTest {

    private final UserConnection connection = new UserConnection(new IrcUserConnections(null, null, null), null, "owner",
            30, new IrcUserConnections.OwnerOnNetwork("net", "owner"), 1);

    private List<String> handlersOf(Class<?> event) {
        return new SharedEventDispatch().handlersFor(connection.listeners(), event).stream().map(Method::getName).toList();
    }

    @Test
    void aRefusedSecureOnlyJoinIsToldAsARefusedJoinBeforeAsARefusedLine() {
        // 489 is both: the JoinRefused goes out before the LineRefused, as when one class took both.
        List<String> handlers = handlersOf(ClientReceiveNumericEvent.class);
        assertEquals(List.of("channelRefused", "refused"),
                handlers.stream().filter(h -> h.equals("channelRefused") || h.equals("refused")).toList());
    }

    @Test
    void whatWaitsForAJoinIsReleasedBeforeTheJoinIsTold() {
        assertEquals(List.of("arrived", "joined"), handlersOf(RequestedChannelJoinCompleteEvent.class));
    }
}
