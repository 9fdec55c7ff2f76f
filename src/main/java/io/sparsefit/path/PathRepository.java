package io.sparsefit.path;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * SQL for a path's points and result (V21). The job itself is a row of the job queue (the `fit` table, kind PATH). Ownership of
 * the rows (an owner key) is to come with the other resources'; nothing here depends on it.
 */
@Repository
class PathRepository {

    private final JdbcClient jdbc;

    PathRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    record StoredPoint(int index, double lambda, String modelId, String json) {
    }

    void insertPoint(String pathId, int index, double lambda, String modelId, String json) {
        jdbc.sql("insert into path_point (path_id, idx, lambda, model_id, point_json) values (?, ?, ?, ?, ?)")
                .params(pathId, index, lambda, modelId, json).update();
    }

    List<StoredPoint> points(String pathId) {
        return jdbc.sql("select idx, lambda, model_id, point_json from path_point where path_id = ? order by idx")
                .param(pathId)
                .query((rs, i) -> new StoredPoint(rs.getInt("idx"), rs.getDouble("lambda"), rs.getString("model_id"),
                        rs.getString("point_json")))
                .list();
    }

    /** Removes what an earlier, interrupted run of this path wrote; returns the model ids it had stored. */
    List<String> clear(String pathId) {
        List<String> models = jdbc.sql("select model_id from path_point where path_id = ?").param(pathId).query(String.class).list();
        jdbc.sql("delete from path_point where path_id = ?").param(pathId).update();
        jdbc.sql("delete from path_result where path_id = ?").param(pathId).update();
        return models;
    }

    void insertResult(String pathId, String summaryJson, String breakpointsJson) {
        jdbc.sql("insert into path_result (path_id, summary_json, breakpoints) values (?, ?, ?)")
                .params(pathId, summaryJson, breakpointsJson.getBytes(StandardCharsets.UTF_8)).update();
    }

    /** {summary, breakpoints} JSON, if the path has finished. */
    Optional<String[]> result(String pathId) {
        return jdbc.sql("select summary_json, breakpoints from path_result where path_id = ?").param(pathId)
                .query((rs, i) -> new String[] {rs.getString("summary_json"), new String(rs.getBytes("breakpoints"), StandardCharsets.UTF_8)})
                .optional();
    }
}
