package io.sparsefit.web;

import io.swagger.v3.oas.annotations.media.Schema;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToLongFunction;

/** One page of a list: the items and the cursor of the next page ({@code null} on the last page). */
@Schema(description = "One page of a cursor-paginated list.")
public record Page<T>(
        @Schema(description = "The items of this page, oldest first.") List<T> items,
        @Schema(description = "Pass as `cursor` to get the next page; null on the last page.", nullable = true) String nextCursor) {

    // The query parameters of every list operation, written once for their annotations: limit and cursor.

    /** The page size of a list request that names no {@code limit}. */
    public static final String DEFAULT_LIMIT = "20";

    /** The largest {@code limit} a list request may name (a larger one is 422); the configured maximum then cuts it. */
    public static final int MAX_LIMIT = 1000;

    public static final String LIMIT_DESCRIPTION = "Page size (at most the configured maximum, 100 by default).";

    public static final String CURSOR_DESCRIPTION = "Cursor from a previous page's `nextCursor`.";

    /**
     * The page of a list read {@code size + 1} rows at a time, the one more only telling that a next page exists: the
     * first {@code size} of {@code fetched}, each as {@code view} shows it, and when there is more, the cursor that
     * {@code cursorOfLast} gives the last one shown (its sequence number, for a list read in order past it; or the offset
     * of the row after it). Callers read {@code size + 1} rows.
     */
    public static <R, T> Page<T> ofFetched(List<R> fetched, int size, ToLongFunction<? super R> cursorOfLast,
                                           Function<? super R, ? extends T> view) {
        boolean more = fetched.size() > size;
        List<R> shown = more ? fetched.subList(0, size) : fetched;
        String next = more ? Cursors.encode(cursorOfLast.applyAsLong(shown.get(shown.size() - 1))) : null;
        return new Page<>(shown.stream().<T>map(view).toList(), next);
    }

    /** The same page with each item as {@code view} shows it (a job's view as its feature's resource). */
    public <R> Page<R> map(Function<? super T, ? extends R> view) {
        return new Page<>(items.stream().<R>map(view).toList(), nextCursor);
    }
}
