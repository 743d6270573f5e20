package net.ircbridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import net.ircbridge.testbed.Await;
import net.ircbridge.testbed.IrcTestClient;
import net.ircbridge.testbed.MatrixTestClient;
import net.ircbridge.testbed.TestBed;
import org.junit.jupiter.api.Test;

/** A Matrix user's nick survives a restart of the bridge. */
class NickPersistenceIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void aMatrixUserKeepsTheirNickAcrossARestartEvenWhenAnotherWouldNowBeFree() {
        TestBed bed = TestBed.get();
        Path config = TestBridgeConfig.write(bed, "nicks");
        String channel = "#" + bed.uniqueName("nick");
        String name = "K" + bed.uniqueName("p").substring(0, 8);
        MatrixTestClient user = MatrixTestClient.register(bed, bed.uniqueName("mx"));
        user.put("profile/" + URLEncoder.encode(user.userId(), StandardCharsets.UTF_8) + "/displayname",
                Map.of("displayname", name)).orThrow("display name");
        try (IrcTestClient watcher = IrcTestClient.connect(bed, bed.uniqueName("w"))) {
            watcher.join(channel);
            IrcTestClient holder = IrcTestClient.connect(bed, name + "[m]");
            String nick;
            try (BridgeProcess bridge = BridgeProcess.start(config)) {
                user.join("#irc_testnet_" + channel.substring(1) + ":" + bed.serverName());
                nick = watcher.awaitMessage(m -> m.is("JOIN") && m.sourceNick().startsWith(name + "[m]"), WAIT).sourceNick();
                assertEquals(name + "[m]_", nick, "the template's nick was taken");
            }
            holder.quit("making the nick free");
            holder.close();
            try (BridgeProcess bridge = BridgeProcess.start(config)) {
                Await.until(WAIT, "the Matrix user is back on IRC under the same nick", () -> watcher.names(channel).contains(nick));
            }
        }
    }
}
