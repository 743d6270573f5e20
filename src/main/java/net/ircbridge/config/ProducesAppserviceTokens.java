package net.ircbridge.config;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

/** Makes the appservice tokens available to the beans that talk to the homeserver. */
@ApplicationScoped
public class ProducesAppserviceTokens {

    @Produces
    @Singleton
    ResolvesAppserviceTokens.AppserviceTokens tokens(AppserviceConfig config) {
        return ResolvesAppserviceTokens.resolve(config, ConfigFiles.directory());
    }
}
