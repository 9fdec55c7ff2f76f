package io.sparsefit.dataset;

import static org.assertj.core.api.Assertions.assertThat;

import io.sparsefit.support.Http;
import io.sparsefit.support.ServiceTestBase;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.TestPropertySource;
import tools.jackson.databind.JsonNode;

/**
 * A CSV upload streamed into the store in chunks of rows (1KB here: 42 rows of 3 inputs a chunk, so a 700-row table is
 * 17 chunks) is the table that the CSV says, cell for cell: every expected value, kind, level, missing count, mean and
 * standard deviation, class, weight and the sha256 are computed here from the generated rows (an independent reading:
 * the cells are known as the test writes them), and compared exactly. A categorical column whose levels first appear in
 * late chunks checks the renumbering to sorted levels across chunks. A failed or oversized upload that had already
 * written chunks leaves no dataset and no chunk behind.
 */
@TestPropertySource(properties = "sparsefit.uploads.chunk-size=1KB")
class StreamedUploadTest extends ServiceTestBase {

    private static final int ROWS = 700;
    /** Levels in order of first appearance, the last ones only in late chunks: sorted, they are numbered otherwise. */
    private static final String[] CITY = {"Tromso", "Oslo", "Bergen", "Alta", "Narvik"};

    @Autowired
    JdbcClient jdbc;

    /** Cell text of row i: a (numeric, empty every 37th row), city (text, empty every 53rd), n (integers), label, w. */
    private static String[] row(int i) {
        String a = i % 37 == 5 ? "" : Double.toString(i * 0.37 - 20 + (i % 11) * 1e-3);
        int levels = i < 400 ? 3 : i < 650 ? 4 : 5;
        String city = i % 53 == 7 ? "" : CITY[(i * 7) % levels];
        String n = Integer.toString((i * 13) % 29 - 9);
        String label = (i % 3 == 0) ? "yes" : (i % 3 == 1) ? "no" : "maybe";
        String w = Double.toString(1 + (i % 4) * 0.5);
        return new String[] {a, city, n, label, w};
    }

    private static String csv(int rows) {
        StringBuilder csv = new StringBuilder("a,city,n,label,w\n");
        for (int i = 0; i < rows; i++) {
            csv.append(String.join(",", row(i))).append('\n');
        }
        return csv.toString();
    }

    private int stored(String table) {
        return jdbc.sql("select count(*) from " + table).query(Integer.class).single();
    }

    @Test
    void aStreamedUploadIsTheTableCellForCell() throws Exception {
        Http.Answer up = http.send("POST", "/v1/datasets?target=label&weight=w&name=streamed", "text/csv", csv(ROWS), Map.of());
        assertThat(up.status()).as(up.body()).isEqualTo(201);
        JsonNode view = up.json();
        String id = view.get("id").asString();
        assertThat(jdbc.sql("select count(*) from dataset_chunk where dataset_id = ?").param(id).query(Integer.class).single())
                .as("1024 bytes / 24 bytes a row = 42 rows a chunk").isEqualTo((ROWS + 41) / 42);

        // The expected table, read from the rows as written.
        TreeSet<String> cityLevels = new TreeSet<>();
        TreeSet<String> labels = new TreeSet<>();
        for (int i = 0; i < ROWS; i++) {
            if (!row(i)[1].isEmpty()) {
                cityLevels.add(row(i)[1]);
            }
            labels.add(row(i)[3]);
        }
        List<String> levels = new ArrayList<>(cityLevels);
        List<String> classes = new ArrayList<>(labels);
        double[] x = new double[ROWS * 3];
        double[] y = new double[ROWS];
        double[] w = new double[ROWS];
        int[] missing = new int[3];
        for (int i = 0; i < ROWS; i++) {
            String[] cells = row(i);
            x[3 * i] = cells[0].isEmpty() ? Double.NaN : Double.parseDouble(cells[0]);
            x[3 * i + 1] = cells[1].isEmpty() ? Double.NaN : levels.indexOf(cells[1]);
            x[3 * i + 2] = Double.parseDouble(cells[2]);
            for (int j = 0; j < 2; j++) {
                missing[j] += cells[j].isEmpty() ? 1 : 0;
            }
            y[i] = classes.indexOf(cells[3]);
            w[i] = Double.parseDouble(cells[4]);
        }
        assertThat(missing[0]).isPositive();
        assertThat(missing[1]).isPositive();

        assertThat(view.get("rows").asInt()).isEqualTo(ROWS);
        assertThat(view.get("columns").toString()).isEqualTo("[\"a\",\"city\",\"n\"]");
        assertThat(view.get("targets").toString()).isEqualTo("[\"label\"]");
        assertThat(view.get("weight").asString()).isEqualTo("w");
        assertThat(view.get("classes").toString()).isEqualTo(Http.JSON.writeValueAsString(classes));
        assertThat(view.get("missingCells").asInt()).isEqualTo(missing[0] + missing[1]);
        JsonNode inputs = view.get("inputs");
        for (int j : new int[] {0, 2}) {
            assertThat(inputs.get(j).get("kind").asString()).isEqualTo("numeric");
            assertThat(inputs.get(j).get("missing").asInt()).isEqualTo(missing[j]);
            double[] moments = moments(x, j);
            assertThat(inputs.get(j).get("mean").asDouble()).as("mean of column " + j).isEqualTo(moments[0]);
            assertThat(inputs.get(j).get("std").asDouble()).as("std of column " + j).isEqualTo(moments[1]);
        }
        assertThat(inputs.get(1).get("kind").asString()).isEqualTo("categorical");
        assertThat(inputs.get(1).get("levels").toString()).isEqualTo(Http.JSON.writeValueAsString(levels));
        assertThat(inputs.get(1).get("missing").asInt()).isEqualTo(missing[1]);

        MessageDigest sha = MessageDigest.getInstance("SHA-256");
        sha.update(encoded(x, ROWS, 3));
        sha.update(encoded(y, ROWS, 1));
        assertThat(view.get("sha256").asString()).isEqualTo(HexFormat.of().formatHex(sha.digest()));
        assertThat(http.get("/v1/datasets/" + id).json()).isEqualTo(view);

        JsonNode data = http.get("/v1/datasets/" + id + "/data").json();
        for (int i = 0; i < ROWS; i++) {
            for (int j = 0; j < 3; j++) {
                JsonNode cell = data.get("x").get(i).get(j);
                double expected = x[3 * i + j];
                if (Double.isNaN(expected)) {
                    assertThat(cell.isNull()).as("x[%d][%d]", i, j).isTrue();
                } else {
                    assertThat(cell.asDouble()).as("x[%d][%d]", i, j).isEqualTo(expected);
                }
            }
            assertThat(data.get("y").get(i).get(0).asDouble()).isEqualTo(y[i]);
            assertThat(data.get("w").get(i).asDouble()).isEqualTo(w[i]);
        }
        // The CSV download is the upload again (numbers in Java's shortest form, as written here).
        Http.Answer download = http.send("GET", "/v1/datasets/" + id + "/data", null, null, Map.of("Accept", "text/csv"));
        List<String> lines = download.body().lines().toList();
        assertThat(lines).hasSize(ROWS + 1);
        assertThat(lines.get(0)).isEqualTo("a,city,n,label,w");
        for (int i = 0; i < ROWS; i++) {
            String[] cells = row(i);
            String n = Double.toString(Double.parseDouble(cells[2]));
            String expected = String.join(",", cells[0].isEmpty() ? "\"\"" : cells[0], cells[1], n, cells[3], cells[4]);
            assertThat(lines.get(i + 1)).as("line %d", i + 2).isEqualTo(expected);
        }
    }

    @Test
    void aFailedUploadAfterStoredChunksLeavesNothing() {
        int datasets = stored("dataset");
        int chunks = stored("dataset_chunk");
        // A text cell in a numeric column after 600 rows (14 chunks written): 422 naming it.
        StringBuilder late = new StringBuilder(csv(600));
        late.append("12x,Oslo,3,yes,1\n");
        Http.Answer bad = http.send("POST", "/v1/datasets?target=label&weight=w", "text/csv", late.toString(), Map.of());
        assertThat(bad.status()).as(bad.body()).isEqualTo(422);
        assertThat(bad.contentType()).startsWith("application/problem+json");
        assertThat(bad.json().get("errors").get(0).get("field").asString()).isEqualTo("line 602, column a");
        // An empty label after 650 rows: 422.
        StringBuilder empty = new StringBuilder(csv(650));
        empty.append("1,Oslo,3,,1\n");
        Http.Answer unlabeled = http.send("POST", "/v1/datasets?target=label&weight=w", "text/csv", empty.toString(), Map.of());
        assertThat(unlabeled.status()).as(unlabeled.body()).isEqualTo(422);
        assertThat(unlabeled.json().get("errors").get(0).get("message").asString()).contains("label column with 1 empty cells");
        // Beyond the row limit (5000 in the tests), after about 119 chunks: 413.
        Http.Answer tooMany = http.send("POST", "/v1/datasets?target=label&weight=w", "text/csv", csv(5001), Map.of());
        assertThat(tooMany.status()).as(tooMany.body()).isEqualTo(413);
        assertThat(tooMany.contentType()).startsWith("application/problem+json");
        assertThat(tooMany.json().get("errors").get(0).get("message").asString()).contains("more than 5000 rows");
        // More columns than sparsefit.uploads.max-columns (1000 by default): 413 on the header, before any row is read.
        StringBuilder wide = new StringBuilder();
        for (int j = 0; j < 1001; j++) {
            wide.append(j == 0 ? "" : ",").append("c").append(j);
        }
        Http.Answer tooWide = http.send("POST", "/v1/datasets", "text/csv", wide + "\n", Map.of());
        assertThat(tooWide.status()).as(tooWide.body()).isEqualTo(413);
        assertThat(tooWide.json().get("errors").get(0).get("field").asString()).isEqualTo("header");
        assertThat(tooWide.json().get("errors").get(0).get("message").asString()).contains("1001 columns, the limit is 1000");
        assertThat(stored("dataset")).isEqualTo(datasets);
        assertThat(stored("dataset_chunk")).isEqualTo(chunks);
    }

    /** Mean and population standard deviation of the present cells of column j of x (N x 3): two passes, in row order. */
    private static double[] moments(double[] x, int j) {
        double sum = 0;
        int n = 0;
        for (int i = 0; i < ROWS; i++) {
            if (!Double.isNaN(x[3 * i + j])) {
                sum += x[3 * i + j];
                n++;
            }
        }
        double mean = sum / n;
        double ss = 0;
        for (int i = 0; i < ROWS; i++) {
            if (!Double.isNaN(x[3 * i + j])) {
                ss += (x[3 * i + j] - mean) * (x[3 * i + j] - mean);
            }
        }
        return new double[] {mean, Math.sqrt(ss / n)};
    }

    /** The stored binary form (SFM1, rows, cols as little-endian int32, then the doubles), written out here. */
    private static byte[] encoded(double[] values, int rows, int cols) {
        ByteBuffer buf = ByteBuffer.allocate(12 + 8 * values.length).order(ByteOrder.LITTLE_ENDIAN);
        buf.put(new byte[] {'S', 'F', 'M', '1'}).putInt(rows).putInt(cols);
        for (double v : values) {
            buf.putDouble(v);
        }
        return buf.array();
    }
}
