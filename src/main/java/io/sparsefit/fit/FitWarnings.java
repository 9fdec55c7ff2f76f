package io.sparsefit.fit;

import java.util.List;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code fit.warnings_json} column: warnings found at submit (see {@link PreparedTable#warnings}), shown on the fit
 * resource and on a path's (a path is a row of the same table).
 */
@Repository
public class FitWarnings {

    private final JdbcClient jdbc;
    private final JsonMapper json;

    FitWarnings(JdbcClient jdbc, JsonMapper json) {
        this.jdbc = jdbc;
        this.json = json;
    }

    /** Records the warnings of fit {@code id} (nothing when there are none). */
    public void save(String id, List<String> warnings) {
        if (!warnings.isEmpty()) {
            jdbc.sql("update fit set warnings_json = ? where id = ?").params(json.writeValueAsString(warnings), id).update();
        }
    }

    public List<String> find(String id) {
        String text = jdbc.sql("select warnings_json from fit where id = ?").param(id).query(String.class).optional().orElse(null);
        return text == null ? List.of() : List.of(json.readValue(text, String[].class));
    }
}
