package net.ircbridge.irc.kicl;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** The one factory every IRC connection of the process is built by, so that they share its threads. */
@ApplicationScoped
public class ProducesIrcClientFactory {

    @Produces
    @Singleton
    IrcClientFactory factory() {
        return new IrcClientFactory();
    }

    void close(@Disposes IrcClientFactory factory) {
        factory.close();
    }
}
