package io.sparsefit.web;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.function.Function;

/** One page of a list: the items and the cursor of the next page ({@code null} on the last page). */
@Schema(description = "One page of a cursor-paginated list.")
public record Page<T>(
        @Schema(description = "The items of this page, oldest first.") List<T> items,
        @Schema(description = "Pass as `cursor` to get the next page; null on the last page.", nullable = true) String nextCursor) {

    /** The same page with each item as {@code view} shows it (a job's view as its feature's resource). */
    public <R> Page<R> map(Function<? super T, ? extends R> view) {
        return new Page<>(items.stream().<R>map(view).toList(), nextCursor);
    }
}
