package net.ircbridge.bridge.admin;

import java.util.concurrent.CompletionStage;

/**
 * A command a Matrix user can give the bridge bot in their admin room ({@code !name args}). Each command is a
 * bean of its own; the admin room finds them all, and {@code !help} lists them.
 */
public interface AdminCommand {

    /** The word after '!'. */
    String name();

    /** Usage and one line of what it does, for {@code !help}. */
    String help();

    /**
     * Runs the command.
     *
     * @return the answer to post in the admin room
     */
    CompletionStage<String> run(String userId, String args);
}
