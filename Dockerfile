# Multi-stage build of the IRC bridge. Build: docker build -t irc-bridge .
# Run:   docker run -v "$PWD/data:/data" -p 9898:9898 irc-bridge
# The first run writes /data/config.yaml from the example and exits; edit it, run again to write
# /data/registration.yaml for the homeserver, then run again to start the bridge.

FROM eclipse-temurin:17-jdk AS build
WORKDIR /src
COPY mvnw pom.xml ./
COPY .mvn .mvn
RUN ./mvnw -B -q dependency:go-offline
COPY src src
COPY config.example.yaml registration.example.yaml ./
RUN ./mvnw -B -q -DskipTests package

FROM eclipse-temurin:17-jre
RUN groupadd --system --gid 1337 bridge && useradd --system --uid 1337 --gid bridge --home-dir /data bridge \
    && mkdir /data && chown bridge:bridge /data
COPY --from=build /src/target/quarkus-app /opt/irc-bridge
COPY config.example.yaml /opt/irc-bridge/config.example.yaml
COPY scripts/docker-entrypoint.sh /opt/irc-bridge/docker-entrypoint.sh
VOLUME /data
WORKDIR /data
USER bridge
EXPOSE 9898
ENTRYPOINT ["/opt/irc-bridge/docker-entrypoint.sh"]
