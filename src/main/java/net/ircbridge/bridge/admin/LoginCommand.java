package net.ircbridge.bridge.admin;

import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;
import net.ircbridge.config.IrcConfig;

/** {@code !login [network] <account> <password>}: identify to an IRC account now and on every connection (SASL). */
@ApplicationScoped
public class LoginCommand implements AdminCommand {

    private final LogsUsersInToIrcAccounts accounts;

    public LoginCommand(LogsUsersInToIrcAccounts accounts) {
        this.accounts = accounts;
    }

    @Override
    public String name() {
        return "login";
    }

    @Override
    public String help() {
        return "!login [network] <account> <password> — identify to your IRC account (needed for registered-only channels);"
                + " the bridge logs in with SASL on every connection";
    }

    @Override
    public CompletionStage<String> run(String userId, String args) {
        if (args.strip().equals(KeepsLoginPasswordsOutOfTheStore.PASSWORD_NOT_KEPT)) {
            // The stored copy of a !login the bridge had no time to carry out before it stopped: its password was
            // never written down, so only the user can give it again.
            return answer("The bridge stopped before it could carry out a !login of yours, and it never keeps the password"
                    + " of one. If you were not told that you are identified, please say !login again.");
        }
        String[] words = args.strip().split("\\s+", 3);
        Optional<IrcConfig.Network> named = words.length == 3 ? accounts.network(words[0]) : Optional.empty();
        if (words.length == 3 && named.isEmpty() || words.length < 2 || words[1].isEmpty()) {
            return answer("Usage: " + help());
        }
        IrcConfig.Network network;
        String account;
        String password;
        if (named.isPresent()) {
            network = named.get();
            account = words[1];
            password = words[2];
        } else if (accounts.networks().size() == 1) {
            network = accounts.networks().get(0);
            account = words[0];
            password = args.strip().substring(words[0].length()).strip();
        } else {
            return answer("Say which network: !login <network> <account> <password>. Networks: " + accounts.networks().stream()
                    .map(IrcConfig.Network::id).sorted().collect(Collectors.joining(", ")) + ".");
        }
        if (password.chars().anyMatch(Character::isISOControl) || account.chars().anyMatch(Character::isISOControl)) {
            return answer("An account or password cannot contain control characters.");
        }
        return accounts.login(userId, network, account, password);
    }

    private static CompletionStage<String> answer(String text) {
        return CompletableFuture.completedFuture(text);
    }
}
