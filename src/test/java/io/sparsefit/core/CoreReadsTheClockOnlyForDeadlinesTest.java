package io.sparsefit.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A fit within its budget is the same on any clock ({@link FitsDoNotDependOnTheClockTest} runs that): so the core reads
 * the wall clock in two roles only, the deadline token ({@code CancellationToken.withDeadline}, which ends a fit with
 * TIME_LIMIT) and the reported {@code runtimeMs} ({@code SparseFit}, {@code DiagnosticsCalculator}). A budget counted
 * in seconds anywhere else (a pricing deadline, a polish's time cap) would make a fit's bits depend on the machine's
 * load; budgets inside the core are counted in work, and a fit's time limit comes in through its token.
 */
class CoreReadsTheClockOnlyForDeadlinesTest {

    private static final Pattern CLOCK = Pattern.compile(
            "System\\s*\\.\\s*(nanoTime|currentTimeMillis)|java\\.time\\.|\\bInstant\\s*\\.|\\bClock\\s*\\.|CpuTime\\s*\\(");

    private static final Set<String> ALLOWED = Set.of(
            "solver/CancellationToken.java",             // withDeadline: the fit's time limit, TIME_LIMIT when it passes
            "SparseFit.java",                            // the start of runtimeMs
            "diagnostics/DiagnosticsCalculator.java");   // runtimeMs

    @Test
    void theCoreReadsTheClockOnlyInTheDeadlineTokenAndForTheRuntime() throws IOException {
        List<String> reading = CoreSources.read().entrySet().stream()
                .filter(file -> CLOCK.matcher(file.getValue()).find()).map(Map.Entry::getKey).toList();
        assertThat(reading).containsExactlyInAnyOrderElementsOf(ALLOWED);
    }
}
