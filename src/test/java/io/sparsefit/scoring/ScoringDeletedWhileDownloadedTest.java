package io.sparsefit.scoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doAnswer;

import io.sparsefit.dataset.DatasetService;
import io.sparsefit.job.JobQueue;
import io.sparsefit.model.ModelService;
import io.sparsefit.support.Http;
import io.sparsefit.support.ServiceTestBase;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;
import tools.jackson.databind.json.JsonMapper;

/**
 * A scoring deleted while its predictions download as CSV (read from the store one block at a time) breaks the
 * transfer off, so the client sees an {@link IOException}, not a complete-looking 200 with a short body. The deletion
 * falls between two block reads every time: the download's row callback deletes the scoring after 3,900 of its 4,000
 * rows (about 75KB, past the 64KB the CSV writer buffers, so the answer has started), through an unwrapped service.
 */
@TestPropertySource(properties = "sparsefit.uploads.chunk-size=1KB")
class ScoringDeletedWhileDownloadedTest extends ServiceTestBase {

    private static final int ROWS = 4000;

    @MockitoSpyBean
    ScoringService scorings;

    @Autowired
    JobQueue queue;

    @Autowired
    ScoringRepository repository;

    @Autowired
    DatasetService datasets;

    @Autowired
    ModelService models;

    @Autowired
    JsonMapper json;

    @Test
    void aScoringDeletedMidDownloadBreaksTheTransfer() throws Exception {
        StringBuilder csv = new StringBuilder("a,y\n");
        for (int i = 0; i < ROWS; i++) {
            csv.append(i * 0.001).append(',').append(Math.sin(i * 0.01)).append('\n');
        }
        String dataset = http.uploadedCsv(csv.toString());
        String model = http.smallModel(dataset);
        String scoring = http.succeededScoring(model, dataset);
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        HttpRequest get = HttpRequest.newBuilder(URI.create(http.base() + "/v1/scorings/" + scoring + "/predictions"))
                .timeout(Duration.ofSeconds(60)).header("Accept", "text/csv").build();
        // Undisturbed, every row comes back (the control: the abort below is the deletion's doing).
        HttpResponse<String> whole = client.send(get, HttpResponse.BodyHandlers.ofString());
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(whole.body().lines().count()).isEqualTo(ROWS + 1);

        ScoringService unwrapped = new ScoringService(queue, repository, datasets, models, json);
        doAnswer(call -> {
            Consumer<String[]> row = call.getArgument(1);
            int[] rows = {0};
            unwrapped.forEachCsvRow(scoring, cells -> {
                if (++rows[0] == 3900) {
                    assertThat(http.delete("/v1/scorings/" + scoring).status()).isEqualTo(204);
                }
                row.accept(cells);
            });
            return null;
        }).when(scorings).forEachCsvRow(eq(scoring), any());

        assertThatThrownBy(() -> client.send(get, HttpResponse.BodyHandlers.ofString()))
                .as("a download cut short by a deletion must not look complete").isInstanceOf(IOException.class);
        assertThat(http.get("/v1/scorings/" + scoring).status()).isEqualTo(404);
    }
}
