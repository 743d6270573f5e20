package net.ircbridge.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import net.ircbridge.testbed.Await;
import net.ircbridge.testbed.MatrixTestClient;
import net.ircbridge.testbed.TestBed;
import org.junit.jupiter.api.Test;

/** The same bridge build on PostgreSQL instead of the embedded database, chosen by configuration alone. */
class BridgeOnPostgresIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Test
    void theBridgeKeepsItsStateInPostgresqlWhenConfiguredTo() throws Exception {
        TestBed bed = TestBed.get();
        String database = "database:\n  url: " + bed.postgresJdbcUrl() + "\n  username: " + bed.postgresUser()
                + "\n  password: " + bed.postgresPassword() + "\n";
        Path config = TestBridgeConfig.write(bed, "postgres", database);
        String bot = "@ircbridge:" + bed.serverName();
        try (BridgeProcess bridge = BridgeProcess.start(config)) {
            bridge.awaitLog(l -> l.contains("Using PostgreSQL"), WAIT);
            MatrixTestClient user = MatrixTestClient.register(bed, bed.uniqueName("pg"));
            String room = user.createDirectChat(bot);
            Await.until(WAIT, "the bot joins the direct chat", () -> user.members(room).contains(bot));
            user.sendText(room, "!help");
            user.awaitEvent(room, e -> bot.equals(e.path("sender").asText())
                    && e.path("content").path("body").asText().contains("Commands:"), WAIT);

            try (Connection c = DriverManager.getConnection(bed.postgresJdbcUrl(), bed.postgresUser(), bed.postgresPassword());
                    PreparedStatement ps = c.prepareStatement("SELECT room_id FROM admin_room WHERE user_id = ?")) {
                ps.setString(1, user.userId());
                try (ResultSet rs = ps.executeQuery()) {
                    rs.next();
                    assertEquals(room, rs.getString(1));
                }
            }
        }
    }
}
