package net.ircbridge.store;

import org.flywaydb.core.api.logging.Log;
import org.flywaydb.core.api.logging.LogCreator;
import org.jboss.logging.Logger;

/**
 * Flyway's log, sent to the bridge's one step lower. At INFO Flyway says half a dozen lines on every start (its
 * edition, the database, "validated", "up to date"), which would fill the bridge's console; they go to DEBUG in
 * Flyway's own categories ({@code org.flywaydb…}), its debug lines to TRACE, and its warnings and errors stay what
 * they are, but one: that the embedded H2 is newer than Flyway was verified with. The build chose both, the store's
 * tests run on that pair, and an operator can do nothing about it, so it goes to DEBUG too (the same warning about
 * a PostgreSQL server, which the operator chose, stays a warning). What was migrated the bridge says itself, one line
 * per migration ({@link MigratesSchema}).
 *
 * <p>Public, with a public constructor: Flyway makes its log creator itself, from the class name in its
 * {@code loggers} setting.
 */
public final class KeepsFlywayQuiet implements LogCreator {

    @Override
    public Log createLogger(Class<?> source) {
        return new OneLevelLower(Logger.getLogger(source));
    }

    private record OneLevelLower(Logger logger) implements Log {

        @Override
        public boolean isDebugEnabled() {
            return logger.isTraceEnabled();
        }

        @Override
        public void debug(String message) {
            logger.trace(message);
        }

        @Override
        public void info(String message) {
            logger.debug(message);
        }

        @Override
        public void notice(String message) {
            logger.debug(message);
        }

        @Override
        public void warn(String message) {
            if (message.startsWith("Using H2 ") && message.contains("newer than the version Flyway has been verified with")) {
                logger.debug(message);
            } else {
                logger.warn(message);
            }
        }

        @Override
        public void error(String message) {
            logger.error(message);
        }

        @Override
        public void error(String message, Exception e) {
            logger.error(message, e);
        }
    }
}
