package net.ircbridge.bridge.admin;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import net.ircbridge.config.IrcConfig;

/** {@code !logout [network]}: forget the stored IRC login and log the connection out. */
@ApplicationScoped
public class LogoutCommand implements AdminCommand {

    private final LogsUsersInToIrcAccounts accounts;

    public LogoutCommand(LogsUsersInToIrcAccounts accounts) {
        this.accounts = accounts;
    }

    @Override
    public String name() {
        return "logout";
    }

    @Override
    public String help() {
        return "!logout [network] — forget your IRC login and log your connection out";
    }

    @Override
    public CompletionStage<String> run(String userId, String args) {
        String word = args.strip();
        Optional<IrcConfig.Network> network = word.isEmpty() && accounts.networks().size() == 1
                ? Optional.of(accounts.networks().get(0)) : accounts.network(word);
        return CompletableFuture.completedFuture(network.map(n -> accounts.logout(userId, n))
                .orElse("Say which network: !logout <network>."));
    }
}
