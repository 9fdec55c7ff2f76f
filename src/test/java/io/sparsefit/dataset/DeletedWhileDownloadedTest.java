package io.sparsefit.dataset;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.Mockito.doAnswer;

import io.sparsefit.support.Http;
import io.sparsefit.support.ServiceTestBase;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.test.context.TestPropertySource;
import org.springframework.test.context.bean.override.mockito.MockitoSpyBean;

/**
 * A dataset deleted while its download streams (CSV or JSON, the inputs one stored chunk at a time) must not end as a
 * clean 200 with a short body: the client has to be able to tell. Deleted half-way (about 100KB of the body sent), the
 * download is broken off (the connection closed before the chunked body's last chunk), so an HTTP client sees a broken
 * transfer, an {@link IOException}; deleted before anything was sent, the answer is the dataset's 404 problem. The
 * deletion is made to fall between two chunk reads every time: the service's {@code rowBlocks} is wrapped so that
 * reading a given block first deletes the dataset (1KB chunks: 42 rows of three inputs a chunk, 96 chunks).
 */
@TestPropertySource(properties = "sparsefit.uploads.chunk-size=1KB")
class DeletedWhileDownloadedTest extends ServiceTestBase {

    private static final int ROWS = 4000;
    private static final int CHUNKS = 96;

    @MockitoSpyBean
    DatasetService datasets;

    @ParameterizedTest
    @ValueSource(strings = {"text/csv", "application/json"})
    void aDatasetDeletedMidDownloadBreaksTheTransfer(String accept) throws Exception {
        String id = upload();
        HttpRequest get = download(id, accept);
        // Undisturbed, the whole table comes back (the control: the abort below is the deletion's doing).
        HttpResponse<String> whole = client.send(get, HttpResponse.BodyHandlers.ofString());
        assertThat(whole.statusCode()).isEqualTo(200);
        assertThat(rowsIn(whole.body(), accept)).isEqualTo(ROWS);

        deleteWhenReading(id, CHUNKS / 2);
        assertThatThrownBy(() -> client.send(get, HttpResponse.BodyHandlers.ofString()))
                .as("a download cut short by a deletion must not look complete").isInstanceOf(IOException.class);
        assertThat(http.get("/v1/datasets/" + id).status()).isEqualTo(404);
        // The service goes on serving, on new connections.
        assertThat(http.get("/v1/datasets").status()).isEqualTo(200);
    }

    @ParameterizedTest
    @ValueSource(strings = {"text/csv", "application/json"})
    void aDatasetDeletedBeforeTheFirstBytesAre404(String accept) throws Exception {
        String id = upload();
        deleteWhenReading(id, 0);
        HttpResponse<String> answer = client.send(download(id, accept), HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(answer.body()).isEqualTo(404);
        assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/problem+json");
        assertThat(Http.JSON.readTree(answer.body()).get("detail").asString()).isEqualTo("dataset '" + id + "' does not exist");
    }

    private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    private String upload() {
        StringBuilder csv = new StringBuilder("a,b,c,y\n");
        for (int i = 0; i < ROWS; i++) {
            csv.append(i * 0.001).append(',').append(Math.sqrt(i)).append(',').append(1.0 / (i + 3)).append(',').append(i % 7).append('\n');
        }
        Http.Answer up = http.send("POST", "/v1/datasets?target=y", "text/csv", csv.toString(), Map.of());
        assertThat(up.status()).as(up.body()).isEqualTo(201);
        return up.json().get("id").asString();
    }

    private HttpRequest download(String id, String accept) {
        return HttpRequest.newBuilder(URI.create(http.base() + "/v1/datasets/" + id + "/data"))
                .timeout(Duration.ofSeconds(60)).header("Accept", accept).build();
    }

    /** From now on, a download of {@code id} deletes the dataset right before it reads block {@code block}. */
    private void deleteWhenReading(String id, int block) {
        doAnswer(call -> {
            DatasetService.RowBlocks real = (DatasetService.RowBlocks) call.callRealMethod();
            assertThat(real.count()).isEqualTo(CHUNKS);
            return new DatasetService.RowBlocks(real.view(), real.schema(), real.count(), b -> {
                if (b == block) {
                    datasets.delete(id);
                }
                return real.read().apply(b);
            });
        }).when(datasets).rowBlocks(id);
    }

    /** Rows of x in a download: CSV lines after the header, or JSON rows of x. */
    private static int rowsIn(String body, String accept) {
        if (accept.equals("text/csv")) {
            return (int) body.lines().count() - 1;
        }
        return Http.JSON.readTree(body).get("x").size();
    }
}
