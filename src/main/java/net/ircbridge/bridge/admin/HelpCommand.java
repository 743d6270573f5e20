package net.ircbridge.bridge.admin;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import java.util.Comparator;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;

/** {@code !help}: lists the commands of the admin room. */
@ApplicationScoped
public class HelpCommand implements AdminCommand {

    private final Instance<AdminCommand> commands;

    public HelpCommand(Instance<AdminCommand> commands) {
        this.commands = commands;
    }

    @Override
    public String name() {
        return "help";
    }

    @Override
    public String help() {
        return "!help — this list of commands";
    }

    @Override
    public CompletionStage<String> run(String userId, String args) {
        String list = commands.stream()
                .sorted(Comparator.comparing(AdminCommand::name))
                .map(c -> "• " + c.help())
                .collect(Collectors.joining("\n"));
        return CompletableFuture.completedFuture("This is your admin room of the IRC bridge. Commands:\n" + list);
    }
}
