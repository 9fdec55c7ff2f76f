package io.sparsefit.fit;

import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyBoolean;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.eq;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import io.sparsefit.core.loss.Loss;
import io.sparsefit.dataset.DatasetService;
import io.sparsefit.dataset.DatasetView;
import io.sparsefit.dataset.TableSchema;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/**
 * A fit of a dataset is checked against its solver's capabilities with the dataset's real {@code weighted} flag
 * (a solver without sample weights then answers its 422 on {@code sampleWeights}, see FitValidator), not with
 * weighted = false whatever the table.
 */
class SubmitChecksWeightsTest {

    /** Thrown by the validator stand-in once it has been asked: nothing after the check matters here. */
    private static final class Checked extends RuntimeException {
    }

    private static void submitAgainst(FitValidator validator, String weightColumn) {
        DatasetView view = mock(DatasetView.class);
        when(view.id()).thenReturn("ds");
        when(view.rows()).thenReturn(12);
        when(view.outputDim()).thenReturn(1);
        DatasetService datasets = mock(DatasetService.class);
        when(datasets.find("ds")).thenReturn(Optional.of(view));
        // two numeric columns and a categorical one of three levels: five encoded inputs
        TableSchema schema = new TableSchema(List.of(
                new TableSchema.InputColumn("size", TableSchema.NUMERIC, null, 0, 1.0, 1.0),
                new TableSchema.InputColumn("age", TableSchema.NUMERIC, null, 0, 2.0, 1.0),
                new TableSchema.InputColumn("city", TableSchema.CATEGORICAL, List.of("a", "b", "c"), 0, null, null)),
                List.of("price"), weightColumn, true, List.of(), 0);
        when(datasets.schema("ds")).thenReturn(schema);
        doThrow(new Checked()).when(validator).checkAgainstData(any(), anyInt(), anyInt(), anyInt(), any(), anyBoolean(), anyInt());
        FitService service = new FitService(validator, null, datasets, null, null, JsonMapper.builder().build(), null);
        assertThatThrownBy(() -> service.submit(new FitRequest("ds", null, null, null, null, null, null), null))
                .isInstanceOf(Checked.class);
    }

    @Test
    void aWeightedTableIsCheckedAsWeighted() {
        FitValidator validator = mock(FitValidator.class);
        submitAgainst(validator, "w");
        verify(validator).checkAgainstData(any(), eq(12), eq(5), eq(1), eq(Loss.squared()), eq(true), eq(0));
    }

    @Test
    void aTableWithoutWeightsIsCheckedAsUnweighted() {
        FitValidator validator = mock(FitValidator.class);
        submitAgainst(validator, null);
        verify(validator).checkAgainstData(any(), eq(12), eq(5), eq(1), eq(Loss.squared()), eq(false), eq(0));
    }
}
