package io.sparsefit.web;

/**
 * Which JDBC URLs name an H2 database kept in a file: the embedded default ({@code jdbc:h2:file:...}) and a file
 * database behind an H2 server ({@code jdbc:h2:tcp://host/~/db}). Only those can be reopened after H2 closed them
 * ({@link EmbeddedStoreReopen}) and only those write commits to a file ({@link EmbeddedStoreReadBarrier}); an
 * in-memory database ({@code mem:}, embedded or behind a server) has nothing to reopen or store.
 */
final class H2FileStore {

    private static final String H2 = "jdbc:h2:";

    private H2FileStore() {
    }

    static boolean isFileStore(String jdbcUrl) {
        if (jdbcUrl == null || !jdbcUrl.startsWith(H2)) {
            return false;
        }
        String database = jdbcUrl.substring(H2.length());
        if (database.startsWith("tcp://") || database.startsWith("ssl://")) {
            // jdbc:h2:tcp://<server>[:<port>]/<database>: the database part follows the first '/' after the server
            int slash = database.indexOf('/', "tcp://".length());
            database = slash < 0 ? "" : database.substring(slash + 1);
        }
        return !database.isEmpty() && !database.startsWith("mem:");
    }
}
