package io.sparsefit.fit;

import io.sparsefit.config.SparsefitProperties;
import io.sparsefit.core.SparseFit;
import io.sparsefit.core.WidthFreeSolver;
import io.sparsefit.core.loss.Loss;
import io.sparsefit.core.penalty.Regularization;
import io.sparsefit.core.solver.AdamOptions;
import io.sparsefit.core.solver.Architecture;
import io.sparsefit.core.solver.ExactOptions;
import io.sparsefit.core.solver.FitSettings;
import io.sparsefit.core.solver.Stopping;
import io.sparsefit.core.solver.SolverCapabilities;
import io.sparsefit.core.solver.SolverType;
import io.sparsefit.dataset.InputEncoding;
import io.sparsefit.web.ApiException;
import io.sparsefit.web.FieldProblem;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Checks a fit request (with defaults filled in) against what the core supports and the configured
 * limits, and maps it to the core's {@link FitSettings}. Every problem is reported with its field;
 * nothing invalid is ever queued.
 */
@Component
class FitValidator {

    /** Solver names of the contract that the core has no implementation for yet. */
    private static final Set<String> NOT_YET = Set.of("gd");

    private final SparsefitProperties.Limits limits;
    private final TimeBudget budget;

    private final long maxFitMemory;

    FitValidator(SparsefitProperties properties) {
        this.limits = properties.limits();
        this.budget = TimeBudget.of(properties);
        long configured = limits.maxFitMemory().toBytes();
        this.maxFitMemory = configured > 0 ? configured
                : (long) (0.6 * Runtime.getRuntime().maxMemory() / properties.fits().effectiveThreads());
    }

    /**
     * Estimated bytes one fit holds at its peak, from N rows, d inputs, m outputs and the hidden layers'
     * widths: the training data (N(d + m)), about four N x K matrices per hidden layer of K units (pre-activations,
     * activations and their gradients; the dominant term; a mini-batch needs fewer rows, this is the upper bound),
     * predictions and residuals (2Nm), and about twenty parameter-sized vectors (gradients, L-BFGS pairs, the best
     * network so far). An estimate, deliberately on the high side: its job is to refuse what would end in
     * OutOfMemoryError, not to pack the heap.
     */
    static long workingSetBytes(long rows, long inputDim, long outputDim, Architecture architecture) {
        long units = 0;
        long parameters = 0;
        long in = inputDim;
        for (int width : architecture.hiddenLayers()) {
            for (int l = 0; l < architecture.linearLayers(); l++) {
                units += in;
                parameters += in * in;
            }
            units += width;
            parameters += width * (in + 1);
            in = width;
        }
        parameters += in * outputDim + outputDim * (inputDim + 1);
        long doubles = rows * (inputDim + outputDim) + 4 * rows * units + 2 * rows * outputDim + 20 * parameters;
        return 8 * doubles;
    }

    /** {@link #workingSetBytes(long, long, long, Architecture)} of one hidden layer of {@code width} units. */
    static long workingSetBytes(long rows, long inputDim, long outputDim, long width) {
        return workingSetBytes(rows, inputDim, outputDim, Architecture.shallow((int) width, true));
    }

    /**
     * Doubles per training row that one atom (neuron) of the convex phase holds at its peak: measured 6.8, the peak live
     * heap of the convex phase divided by N rows and its atoms (271 MiB / (10^4 rows x 525 atoms x 8 B),
     * docs/benchmarks.md "A widening fit's memory"); its atoms are N-row columns ({@code ActiveAtoms}: the raw and the
     * projected features, each in arrays that grow to twice their use, and a fresh N x K copy for each restricted solve,
     * where the {@code -Xmx256m} run ran out of heap). One measurement, the peak over the final atom count, not a slope
     * fitted over atom counts (those were not logged while the phase held 120-175 MiB in its first 17 s).
     */
    static final int CONVEX_DOUBLES_PER_ATOM_ROW = 7;

    /**
     * The working set of a single fit that {@code auto} takes from its starting width {@code startingWidth} to
     * {@code wideWidth} more neurons ({@link SparseFit#widenedLbfgsWidth}: 64 and 384 by default): the gradient part,
     * {@link #workingSetBytes} of one layer of {@code startingWidth + wideWidth} units (the narrow and the wide
     * {@code lbfgs} run side by side), plus the convex phase that goes on from their neurons,
     * {@link #CONVEX_DOUBLES_PER_ATOM_ROW} doubles per row for each of as many atoms. At 10^4 rows x 10 inputs: 138.5 MiB
     * + 239.3 MiB = 377.8 MiB, against the measured peak of 271 MiB (the convex phase at 525 atoms; the {@code lbfgs}
     * runs held under 8 MiB, their objective working in blocks of 512 rows, so the gradient part is high by far).
     * What it does not cover: atoms beyond {@code startingWidth + wideWidth} (at a small lambda the optimum may need up
     * to N - (d + 1), theory T7; the measured 525 were cut by a 150 s budget) are left to the gradient part's excess and
     * the margin of the limit (0.6 of the heap by default); a path's points and {@code auto}'s {@code convex} in two
     * inputs are not estimated here (README, {@code sparsefit.limits.max-fit-memory}).
     *
     * @param rows the rows the fit trains on (at most)
     */
    static long widenedWorkingSetBytes(long rows, long inputDim, long outputDim, long startingWidth, long wideWidth) {
        long atoms = startingWidth + wideWidth;
        return workingSetBytes(rows, inputDim, outputDim, atoms) + 8L * CONVEX_DOUBLES_PER_ATOM_ROW * rows * atoms;
    }

    /**
     * What the submit stores and says for a checked request: the request to run, with the starting width made an explicit
     * cap ({@code architecture.hiddenLayers: [64]}) where {@code auto} would widen it beyond the memory limit, and the
     * warnings that say so. Decided once, at the submit, and stored with the fit: the run reads the stored request, so a
     * replica with another heap or a restart with other limits runs what the warning said, and the model's stored
     * request records the cap.
     */
    record Admission(FitRequest request, List<String> warnings) {
    }

    /** Checks that need no data; throws 422 listing every bad field. */
    void checkRequest(FitRequest r) {
        List<FieldProblem> errors = new ArrayList<>();
        if ((r.datasetId() == null) == (r.data() == null)) {
            errors.add(new FieldProblem("datasetId", "give exactly one of datasetId and data"));
        }
        // absent: the default starting width, valid (FitRequest.Architecture#toCore)
        List<Integer> layers = r.architecture().hiddenLayers() == null ? List.of(FitSettings.DEFAULT_WIDTH)
                : r.architecture().hiddenLayers();
        int architectureErrors = errors.size();
        if (layers.isEmpty()) {
            errors.add(new FieldProblem("architecture.hiddenLayers", "needs at least one hidden layer"));
        } else if (layers.size() > limits.maxHiddenLayers()) {
            errors.add(new FieldProblem("architecture.hiddenLayers",
                    "at most " + limits.maxHiddenLayers() + " hidden layers, got " + layers.size()));
        }
        // Only the first elements are checked one by one: a list of millions of bad widths must not build
        // millions of errors (the answer holds ApiException.MAX_REPORTED_ERRORS; the size error covers the rest).
        for (int i = 0; i < Math.min(layers.size(), ApiException.MAX_REPORTED_ERRORS); i++) {
            Integer w = layers.get(i);
            if (w == null || w < 1) {
                errors.add(new FieldProblem("architecture.hiddenLayers[" + i + "]", "must be >= 1"));
            } else if (w > limits.maxWidth()) {
                errors.add(new FieldProblem("architecture.hiddenLayers[" + i + "]", "must be <= " + limits.maxWidth()));
            }
        }
        int linear = r.architecture().linearLayers();
        if (linear < 0 || linear > limits.maxLinearLayers()) {
            errors.add(new FieldProblem("architecture.linearLayers", "must be between 0 and " + limits.maxLinearLayers()));
        }
        boolean deep = layers.size() > 1 || linear > 0;
        String reg = r.regularization().type();
        // Only for an otherwise valid architecture, so that one mistake answers one error. The convex
        // reformulations (C1, C2), the exact 1-D solver and the path norm with its prox hold for one hidden layer.
        if (deep && errors.size() == architectureErrors) {
            if (Set.of("exact", "convex", "prox", "lbfgs", "adam").contains(r.solver().type())
                    && !SolverType.fromWireName(r.solver().type()).capabilities().deep()) {
                errors.add(new FieldProblem("solver.type", "'" + r.solver().type() + "' fits one hidden layer without linear "
                        + "layers; use auto, lbfgs or adam for " + layers.size() + " hidden layers and " + linear + " linear layers"));
            }
            if ("path_norm".equals(reg)) {
                errors.add(new FieldProblem("regularization.type", "path_norm is defined for one hidden layer; use weight_decay "
                        + "(on every weight matrix, theory A8) for a deep architecture"));
            }
        }
        if (!Set.of("weight_decay", "path_norm", "none").contains(reg)) {
            errors.add(new FieldProblem("regularization.type", "must be one of weight_decay, path_norm, none"));
        }
        double lambda = r.regularization().lambda();
        if (!Double.isFinite(lambda)) {
            errors.add(new FieldProblem("regularization.lambda", "must be a finite number"));
        } else if (lambda < 0) {
            errors.add(new FieldProblem("regularization.lambda", "must be >= 0"));
        }
        FitRequest.SolverSpec s = r.solver();
        if (NOT_YET.contains(s.type())) {
            errors.add(new FieldProblem("solver.type", "'" + s.type() + "' is not supported yet; use auto, exact, convex, prox, lbfgs or adam"));
        } else if (!Set.of("auto", "exact", "convex", "prox", "lbfgs", "adam").contains(s.type())) {
            errors.add(new FieldProblem("solver.type", "must be one of auto, exact, convex, prox, lbfgs, adam"));
        }
        if (s.maxIter() < 1) {
            errors.add(new FieldProblem("solver.maxIter", "must be >= 1"));
        } else if (s.maxIter() > limits.maxIter()) {
            errors.add(new FieldProblem("solver.maxIter", "must be <= " + limits.maxIter()));
        }
        if (!(s.tol() > 0) || !Double.isFinite(s.tol())) {
            errors.add(new FieldProblem("solver.tol", "must be a finite number > 0"));
        }
        if (!(s.learningRate() >= 0) || !Double.isFinite(s.learningRate())) {
            errors.add(new FieldProblem("solver.learningRate", "must be a finite number >= 0"));
        }
        if (s.timeLimit() != null && !budget.allows(s.timeLimit())) {
            errors.add(new FieldProblem("solver.timeLimit", "must be > 0 and <= " + budget.maxWholeSeconds() + " (seconds)"));
        }
        if (s.batchSize() < 0) {
            errors.add(new FieldProblem("solver.batchSize", "must be >= 0"));
        }
        if (!Set.of(InputEncoding.ERROR, InputEncoding.DROP_ROWS, InputEncoding.IMPUTE_MEAN).contains(r.preprocessing().missing())) {
            errors.add(new FieldProblem("preprocessing.missing", "must be one of error, drop_rows, impute_mean"));
        }
        if (r.name() != null && (r.name().isBlank() || r.name().length() > 200)) {
            errors.add(new FieldProblem("name", "must be 1 to 200 characters"));
        }
        if (r.tags() != null) {
            if (r.tags().size() > 20) {
                errors.add(new FieldProblem("tags", "at most 20 tags, got " + r.tags().size()));
            } else if (r.tags().stream().anyMatch(t -> t == null || t.isBlank() || t.length() > 100)) {
                errors.add(new FieldProblem("tags", "every tag must be 1 to 100 characters"));
            }
        }
        FitLoss.checkRequest(r.loss(), errors);
        double vf = r.validationFraction();
        if (!(vf >= 0 && vf < 1)) {
            errors.add(new FieldProblem("validationFraction", "must be >= 0 and < 1"));
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
    }

    /**
     * Checks that need the data's shape and whether it has sample weights, for squared loss (the admission checks of
     * {@code AdmissionTest}; requests go through the overload with their loss); throws 422.
     */
    Admission checkAgainstData(FitRequest r, int rows, int inputDim, int outputDim, boolean weighted) {
        return checkAgainstData(r, rows, inputDim, outputDim, Loss.squared(), weighted);
    }

    /**
     * Checks that need the data's shape, its loss and whether it is weighted; throws 422 (413 for a fit above the memory
     * limit at its width). What the solver cannot fit comes from its declared capabilities
     * ({@link SolverType#capabilities()}), one error per missing capability, on the request field that asks for it.
     * Returns the request to store, capped where it would widen beyond the limit ({@link #admission}).
     */
    Admission checkAgainstData(FitRequest r, int rows, int inputDim, int outputDim, Loss loss, boolean weighted) {
        return checkAgainstData(r, rows, inputDim, outputDim, loss, weighted, 0);
    }

    /**
     * As above for a table of which up to {@code mayDrop} rows may be left out before the fit (empty targets, and empty
     * inputs under {@code drop_rows}: {@link PreparedTable}): the core decides whether {@code auto} widens on the rows
     * it keeps, so the admission prices the most rows it may keep and widen at ({@link #admission}).
     */
    Admission checkAgainstData(FitRequest r, int rows, int inputDim, int outputDim, Loss loss, boolean weighted, int mayDrop) {
        List<FieldProblem> errors = new ArrayList<>();
        Regularization reg = Regularization.fromWireName(r.regularization().type());
        SolverType requested = SolverType.fromWireName(r.solver().type());
        Architecture architecture = architecture(r);
        SolverCapabilities.Demand demand = new SolverCapabilities.Demand(loss, weighted, reg, r.regularization().lambda(),
                architecture.skip(), !architecture.isShallow(), inputDim, outputDim, r.solver().batchSize());
        SolverType resolved = SparseFit.resolve(requested, demand, rows);
        for (SolverCapabilities.Missing missing : resolved.capabilities().missing(resolved.wireName(), demand)) {
            errors.add(new FieldProblem(field(missing.capability()), missing.message()));
        }
        long workingSet = workingSetBytes(rows, inputDim, outputDim, architecture);
        if (workingSet > maxFitMemory) {
            throw new ApiException(HttpStatus.CONTENT_TOO_LARGE, "Content too large",
                    "This fit needs about " + (workingSet >> 20) + " MiB (" + rows + " rows x hidden layers "
                            + architecture.hiddenLayers() + (architecture.linearLayers() > 0 ? " with " + architecture.linearLayers()
                            + " linear layers each" : "") + "), more than the " + (maxFitMemory >> 20)
                            + " MiB one fit may use; use fewer rows or neurons",
                    List.of(new FieldProblem("architecture.hiddenLayers", "too wide for " + rows + " rows")), null);
        }
        int validation = ValidationSplit.validationRows(rows, r.validationFraction());
        if (r.validationFraction() > 0 && (validation < 1 || rows - validation < 1)) {
            errors.add(new FieldProblem("validationFraction", "leaves " + (rows - validation) + " training and " + validation
                    + " validation rows out of " + rows + "; both need at least one"));
        }
        if (!errors.isEmpty()) {
            throw ApiException.invalid(errors);
        }
        int training = trainingRows(r, rows);
        return admission(r, training, Math.max(1, training - mayDrop), inputDim, outputDim, demand);
    }

    /**
     * The {@link Admission} of a request within the limit at its width: where {@code auto} would widen it
     * ({@link SparseFit#widenedLbfgsWidth}, on the most rows between {@code fewestRows} and {@code trainingRows} at which
     * it widens: none where {@link SparseFit#resolve} picks convex) and {@link #widenedWorkingSetBytes} is above the
     * limit, the request with its starting width as a given width (a cap: the core then runs plain {@code lbfgs} at that
     * width, the fit whose working set {@link #checkAgainstData} checked) and a warning; else the request as it is. A fit
     * within the limit at its starting width is not refused for what it might need once widened (the starting width is
     * what the user asked for by giving no width). Paths do not use it: their points are estimated at the starting width.
     */
    private Admission admission(FitRequest r, int trainingRows, int fewestRows, int inputDim, int outputDim,
                                SolverCapabilities.Demand demand) {
        FitSettings settings = settings(r);
        int width = settings.width();
        // The fit trains on fewestRows to trainingRows rows. auto widens on row counts above those where
        // SparseFit.resolve picks convex (a bound that depends on the inputs, outputs and loss) up to
        // SparseFit.AUTO_WIDTH_FREE_MAX_ROWS, and the widened working set grows with the rows: the most it may need is
        // at the most rows in that range the fit may keep.
        int rows = Math.max(fewestRows, Math.min(trainingRows, SparseFit.AUTO_WIDTH_FREE_MAX_ROWS));
        int wide = SparseFit.widenedLbfgsWidth(settings, demand, rows);
        long widened = wide == 0 ? 0 : widenedWorkingSetBytes(rows, inputDim, outputDim, width, wide);
        if (widened <= maxFitMemory) {
            return new Admission(r, List.of());
        }
        // beyond WIDE_MAX_ROWS there is no wide lbfgs run: the convex phase alone adds neurons
        String beyond = rows <= WidthFreeSolver.WIDE_MAX_ROWS
                ? "with " + wide + " neurons beside them and then add neurons" : "by adding neurons";
        // left with fewer rows, auto may be convex (where SparseFit.resolve says so), whose atoms no width caps
        String convexBelow = SparseFit.resolve(settings.solver(), demand, fewestRows) != SolverType.CONVEX ? ""
                : ". Leaving out rows with empty cells may bring it to as few as " + fewestRows + " rows, where auto is "
                        + "convex instead, whose neurons the cap does not limit";
        return new Admission(r.withHiddenLayers(List.of(width)), List.of("This fit is capped at its starting width: "
                + "architecture.hiddenLayers [" + width + "]. auto could go on beyond it " + beyond
                + " where the optimum needs them, estimated at about " + (widened >> 20) + " MiB for "
                + rows + " rows, more than the " + (maxFitMemory >> 20) + " MiB one fit may use "
                + "(sparsefit.limits.max-fit-memory); give architecture.hiddenLayers to choose the width, or use fewer rows"
                + convexBelow));
    }

    /** The request field that asks for a capability. */
    private static String field(SolverCapabilities.Capability capability) {
        return switch (capability) {
            case LOSS -> "loss";
            case SAMPLE_WEIGHTS -> "sampleWeights";
            case PENALTY -> "regularization";
            case SKIP -> "architecture.skip";
            case DEPTH, INPUTS, OUTPUTS -> "solver.type";
            case MINI_BATCHES -> "solver.batchSize";
        };
    }

    private static Architecture architecture(FitRequest r) {
        return r.architecture().toCore();
    }

    /** The rows a fit of {@code rows} trains on at most: less its validation rows (rows with empty cells may drop more). */
    private static int trainingRows(FitRequest r, int rows) {
        return rows - ValidationSplit.validationRows(rows, r.validationFraction());
    }

    /** The core settings of a checked request. */
    static FitSettings settings(FitRequest r) {
        int maxIter = r.solver().maxIter();
        // A loss-curve point (and a progress callback) every logEvery iterations, at most ~1000 points per fit.
        int logEvery = Math.max(FitSettings.DEFAULT_LOG_EVERY, (maxIter + 999) / 1000);
        return new FitSettings(Regularization.fromWireName(r.regularization().type()), r.regularization().lambda(),
                SolverType.fromWireName(r.solver().type()),
                architecture(r),
                new Stopping(maxIter, r.solver().tol()), r.seed(), logEvery,
                new AdamOptions(r.solver().learningRate(), r.solver().batchSize()), new ExactOptions(r.solver().sparsest()));
    }
}
