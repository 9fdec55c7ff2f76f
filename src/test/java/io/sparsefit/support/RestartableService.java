package io.sparsefit.support;

import io.sparsefit.SparsefitApplication;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The application started and stopped explicitly, any number of times, on one data directory and one database
 * (H2 under the directory, or one fresh PostgreSQL database with {@code -Dsparsefit.test.db=postgres}, see
 * {@link TestDatabase}): what restart and crash tests need. Between two starts a test may write "crashes" into the
 * database through {@link #connect()}.
 */
public final class RestartableService {

    private final Path dataDir;
    private final List<String> datasource;

    public RestartableService(Path dataDir) {
        this.dataDir = dataDir;
        this.datasource = TestDatabase.datasourceArguments();
    }

    /**
     * Starts the application on a free port with one fit worker, no JMX, the data directory and the database, plus
     * {@code arguments} ({@code --name=value}). Command-line arguments: they override application.yaml (a builder's
     * "properties" would only be defaults).
     */
    public ConfigurableApplicationContext start(String... arguments) {
        List<String> args = new ArrayList<>(List.of("--server.port=0", "--sparsefit.data-dir=" + dataDir,
                "--sparsefit.fits.threads=1", "--spring.jmx.enabled=false"));
        args.addAll(List.of(arguments));
        args.addAll(datasource);
        return new SpringApplicationBuilder(SparsefitApplication.class).run(args.toArray(String[]::new));
    }

    /** A JDBC connection to the database every start uses (the application may be stopped). */
    public Connection connect() throws SQLException {
        if (TestDatabase.postgres()) {
            return DriverManager.getConnection(datasource.get(0).substring("--spring.datasource.url=".length()), TestDatabase.USER, "");
        }
        return DriverManager.getConnection("jdbc:h2:file:" + dataDir + "/sparsefit;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE", "sa", "");
    }

    /** A client of a started context. */
    public static Http http(ConfigurableApplicationContext context) {
        return Http.onPort(context.getEnvironment().getRequiredProperty("local.server.port", Integer.class));
    }
}
