package io.sparsefit.scoring;

import java.util.List;
import java.util.Optional;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Repository;

/**
 * SQL for a scoring's predictions (V50): blocks of consecutive rows, each an N_i x outputs matrix in the SFM1 form.
 * The job itself is a row of the job queue (the `fit` table, kind SCORING); its blocks go when it is deleted (cascade).
 */
@Repository
class ScoringRepository {

    private final JdbcClient jdbc;

    ScoringRepository(JdbcClient jdbc) {
        this.jdbc = jdbc;
    }

    /** A stored block: its index, first row and row count, and the predictions (null when not read). */
    record Block(int index, int rowStart, int rowCount, byte[] data) {
    }

    void insertBlock(String scoringId, int index, int rowStart, int rowCount, byte[] data) {
        jdbc.sql("insert into scoring_block (scoring_id, idx, row_start, row_count, y_data) values (?, ?, ?, ?, ?)")
                .params(scoringId, index, rowStart, rowCount, data).update();
    }

    /** Removes what an earlier, interrupted run of this scoring wrote. */
    void clear(String scoringId) {
        jdbc.sql("delete from scoring_block where scoring_id = ?").param(scoringId).update();
    }

    int blockCount(String scoringId) {
        return jdbc.sql("select count(*) from scoring_block where scoring_id = ?").param(scoringId).query(Integer.class).single();
    }

    /** Block {@code index} with its data. */
    Optional<Block> block(String scoringId, int index) {
        return jdbc.sql("select idx, row_start, row_count, y_data from scoring_block where scoring_id = ? and idx = ?")
                .params(scoringId, index).query((rs, i) -> new Block(rs.getInt(1), rs.getInt(2), rs.getInt(3), rs.getBytes(4)))
                .optional();
    }

    /** The blocks (without data) holding rows {@code from} (inclusive) to {@code to} (exclusive), in row order. */
    List<Block> blocksCovering(String scoringId, int from, int to) {
        return jdbc.sql("select idx, row_start, row_count from scoring_block where scoring_id = ? and row_start < ? "
                        + "and row_start + row_count > ? order by idx")
                .params(scoringId, to, from).query((rs, i) -> new Block(rs.getInt(1), rs.getInt(2), rs.getInt(3), null)).list();
    }
}
