package net.ircbridge.matrix;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import net.ircbridge.config.AppserviceConfig;
import net.ircbridge.config.HomeserverConfig;
import net.ircbridge.config.ResolvesAppserviceTokens.AppserviceTokens;

/** Builds the one homeserver client the bridge uses. */
@ApplicationScoped
public class ProducesHomeserverClient {

    @Produces
    @Singleton
    HomeserverClient client(HomeserverConfig homeserver, AppserviceConfig appservice, AppserviceTokens tokens,
            ObjectMapper json) {
        String bot = "@" + appservice.botLocalpart() + ":" + homeserver.domain();
        return new HomeserverClient(homeserver.url(), tokens.asToken(), bot, json);
    }
}
