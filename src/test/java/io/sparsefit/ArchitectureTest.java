package io.sparsefit;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.Architectures.layeredArchitecture;

import com.tngtech.archunit.core.domain.InstanceofCheck;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaCodeUnit;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import io.sparsefit.core.ColumnMoments;
import io.sparsefit.core.Diagnostics;
import io.sparsefit.core.FitProblem;
import io.sparsefit.core.loss.CrossEntropyLoss;
import io.sparsefit.core.loss.HuberLoss;
import io.sparsefit.core.loss.LogisticLoss;
import io.sparsefit.core.loss.SquaredLoss;
import io.sparsefit.core.network.Network;
import io.sparsefit.core.network.ShallowNetwork;
import io.sparsefit.job.JobRunner;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The package layering stated in every {@code package-info.java}, checked on the compiled main classes (tests
 * are not imported). A rule here and the sentence "May import ..." in the package's {@code package-info.java}
 * say the same thing; change both together.
 *
 * <p>Core, bottom to top (each layer may use only the layers below it, see {@code core/package-info.java}):
 * the data types {@code core.FitProblem} and {@code core.ColumnMoments} with the loss family {@code core.loss}; {@code core.linalg} with {@code core.kernel}; {@code core.convex}; {@code core.network};
 * {@code core.penalty}; {@code core.objective}; {@code core.finish} and {@code core.solver..} side by side (neither
 * uses the other); {@code core.diagnostics} with the record {@code core.Diagnostics}; the facade (the rest of
 * {@code core}: {@code SparseFit}, {@code FitOutcome}); {@code core.path}.
 */
class ArchitectureTest {

    private static final String CORE = "io.sparsefit.core";

    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.sparsefit");

    // ---- core --------------------------------------------------------------------------------------------

    @Test
    void coreUsesOnlyJavaEjmlAndItself() {
        classes().that().resideInAPackage(CORE + "..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("java..", "jdk.incubator.vector..", "org.ejml..", CORE + "..")
                .because("the core is a plain Java + EJML library: no Spring, servlet, JDBC, JSON or service type")
                .check(CLASSES);
    }

    @Test
    void coreLayers() {
        layeredArchitecture().consideringOnlyDependenciesInLayers()
                .layer("Data").definedBy(belongToAnyOf(FitProblem.class, ColumnMoments.class).or(resideInAPackage(CORE + ".loss..")))
                .layer("Linalg").definedBy(CORE + ".linalg..", CORE + ".kernel..")
                .layer("Convex").definedBy(CORE + ".convex..")
                .layer("Network").definedBy(CORE + ".network..")
                .layer("Penalty").definedBy(CORE + ".penalty..")
                .layer("Objective").definedBy(CORE + ".objective..")
                .layer("Finish").definedBy(CORE + ".finish..")
                .layer("Solver").definedBy(CORE + ".solver..")
                .layer("Diagnostics").definedBy(resideInAPackage(CORE + ".diagnostics..")
                        .or(belongToAnyOf(Diagnostics.class)))
                .layer("Facade").definedBy(resideInAPackage(CORE)
                        .and(not(belongToAnyOf(FitProblem.class, ColumnMoments.class, Diagnostics.class))))
                .layer("Path").definedBy(CORE + ".path..")

                .whereLayer("Data").mayNotAccessAnyLayer()
                .whereLayer("Linalg").mayNotAccessAnyLayer()
                .whereLayer("Convex").mayOnlyAccessLayers("Data", "Linalg")
                .whereLayer("Network").mayOnlyAccessLayers("Data", "Linalg", "Convex")
                .whereLayer("Penalty").mayOnlyAccessLayers("Data", "Linalg", "Convex", "Network")
                .whereLayer("Objective").mayOnlyAccessLayers("Data", "Linalg", "Convex", "Network", "Penalty")
                .whereLayer("Finish").mayOnlyAccessLayers("Data", "Linalg", "Convex", "Network", "Penalty", "Objective")
                .whereLayer("Solver").mayOnlyAccessLayers("Data", "Linalg", "Convex", "Network", "Penalty", "Objective")
                .whereLayer("Diagnostics").mayOnlyAccessLayers("Data", "Linalg", "Convex", "Network", "Penalty",
                        "Objective", "Finish", "Solver")
                .whereLayer("Facade").mayOnlyAccessLayers("Data", "Linalg", "Convex", "Network", "Penalty",
                        "Objective", "Finish", "Solver", "Diagnostics")
                .whereLayer("Path").mayOnlyAccessLayers("Data", "Linalg", "Convex", "Network", "Penalty",
                        "Objective", "Finish", "Solver", "Diagnostics", "Facade")
                .check(CLASSES);
    }

    @Test
    void gradientBuildingBlocksUseNoOtherSolverSubpackage() {
        noClasses().that().resideInAPackage(CORE + ".solver.gradient..")
                .should().dependOnClassesThat().resideInAnyPackage(CORE + ".solver.exact..", CORE + ".solver.convex..")
                .because("core.solver.gradient holds building blocks of the gradient solvers only")
                .check(CLASSES);
    }

    @Test
    void exactSolverUsesNoOtherSolverSubpackage() {
        noClasses().that().resideInAPackage(CORE + ".solver.exact..")
                .should().dependOnClassesThat().resideInAnyPackage(CORE + ".solver.gradient..", CORE + ".solver.convex..")
                .because("the exact 1-D solver needs only the solver types of core.solver")
                .check(CLASSES);
    }

    @Test
    void convexSolverDoesNotUseTheExactSolver() {
        noClasses().that().resideInAPackage(CORE + ".solver.convex..")
                .should().dependOnClassesThat().resideInAPackage(CORE + ".solver.exact..")
                .check(CLASSES);
    }

    @Test
    void solverPackageDoesNotUseTheConvexSolver() {
        noClasses().that().resideInAPackage(CORE + ".solver")
                .should().dependOnClassesThat().resideInAPackage(CORE + ".solver.convex..")
                .because("core.solver.convex is above core.solver: the facade and core.path construct it")
                .check(CLASSES);
    }

    // ---- one network model, one loss family (issue 19) ---------------------------------------------------

    /**
     * No core class exists only as the deep twin of another: for a class {@code Deep<X>} there is no core class
     * {@code <X>} (the layered algorithms are the one-layer ones, working layer by layer).
     */
    @Test
    void noCoreClassIsTheDeepTwinOfAnother() {
        Set<String> names = CLASSES.stream().filter(c -> c.getPackageName().startsWith(CORE) && c.isTopLevelClass())
                .map(JavaClass::getSimpleName).collect(Collectors.toSet());
        classes().that().resideInAPackage(CORE + "..").and().areTopLevelClasses()
                .should(new ArchCondition<JavaClass>("not be named Deep<X> beside a core class <X>") {
                    @Override
                    public void check(JavaClass c, ConditionEvents events) {
                        String name = c.getSimpleName();
                        if (name.startsWith("Deep") && names.contains(name.substring("Deep".length()))) {
                            events.add(SimpleConditionEvent.violated(c, name + " is the deep twin of "
                                    + name.substring("Deep".length())));
                        }
                    }
                })
                .check(CLASSES);
    }

    /**
     * One network model: {@code Network} is the one storage form for every depth, and its only subclass is the
     * one-hidden-layer view {@code ShallowNetwork} (theory A1-A7), which stores nothing of its own beyond a reference
     * to the network's one layer (its instance fields are that {@code Layer} alone).
     */
    @Test
    void oneNetworkModelWithOneOneLayerView() {
        classes().that().areAssignableTo(Network.class).should(com.tngtech.archunit.lang.conditions.ArchConditions.be(belongToAnyOf(Network.class, ShallowNetwork.class)))
                .because("a deep network is a Network with more layers, not a class of its own (issue 19)")
                .check(CLASSES);
        classes().that().belongToAnyOf(ShallowNetwork.class)
                .should(new ArchCondition<JavaClass>("hold no instance field but its one Layer") {
                    @Override
                    public void check(JavaClass c, ConditionEvents events) {
                        c.getFields().stream()
                                .filter(f -> !f.getModifiers().contains(com.tngtech.archunit.core.domain.JavaModifier.STATIC))
                                .filter(f -> !f.getRawType().isEquivalentTo(io.sparsefit.core.network.Layer.class))
                                .forEach(f -> events.add(SimpleConditionEvent.violated(c, f.getFullName() + " is storage of the view's own")));
                    }
                })
                .check(CLASSES);
    }

    /**
     * The members of the loss family are named only inside it and by the one factory that chooses the default
     * ({@code FitProblem}); everyone else reads a loss through {@code Loss} (value, gradient, conjugate, {@code
     * leastSquares()}, {@code classification()}).
     */
    @Test
    void lossMembersAreNamedOnlyInTheLossFamily() {
        noClasses().that().resideOutsideOfPackage(CORE + ".loss..").and(not(belongToAnyOf(FitProblem.class)))
                .should().dependOnClassesThat().belongToAnyOf(SquaredLoss.class, HuberLoss.class, LogisticLoss.class,
                        CrossEntropyLoss.class)
                .because("a new loss is one new member of core.loss, not an edit of every solver (issue 19)")
                .check(CLASSES);
    }

    /**
     * Nothing outside {@code core.network} checks {@code instanceof ShallowNetwork}: code that needs the one-hidden-layer theory (A1-A7) asks {@code Network.oneLayer()}, the
     * rest works layer by layer.
     */
    @Test
    void networkFormIsAskedOnlyThroughOneLayer() {
        classes().that().resideInAPackage("io.sparsefit..").and().resideOutsideOfPackage(CORE + ".network..")
                .should(new ArchCondition<JavaClass>("not check instanceof ShallowNetwork") {
                    @Override
                    public void check(JavaClass c, ConditionEvents events) {
                        for (JavaCodeUnit unit : c.getCodeUnits()) {
                            for (InstanceofCheck check : unit.getInstanceofChecks()) {
                                String type = check.getRawType().getName();
                                if (type.equals(ShallowNetwork.class.getName())) {
                                    events.add(SimpleConditionEvent.violated(c, unit.getFullName() + " checks instanceof " + check.getRawType().getSimpleName()
                                            + " (" + check.getSourceCodeLocation() + ")"));
                                }
                            }
                        }
                    }
                })
                .check(CLASSES);
    }

    // ---- service -----------------------------------------------------------------------------------------

    @Test
    void configImportsNoFeaturePackage() {
        noClasses().that().resideInAPackage("io.sparsefit.config..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "io.sparsefit.dataset..", "io.sparsefit.fit..", "io.sparsefit.model..",
                        "io.sparsefit.path..", "io.sparsefit.inference..", "io.sparsefit.scoring..", "io.sparsefit.job..")
                .check(CLASSES);
    }

    @Test
    void webImportsNoFeaturePackageNorTheCore() {
        noClasses().that().resideInAPackage("io.sparsefit.web..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "io.sparsefit.dataset..", "io.sparsefit.fit..", "io.sparsefit.model..",
                        "io.sparsefit.path..", "io.sparsefit.inference..", "io.sparsefit.security..", "io.sparsefit.scoring..",
                        "io.sparsefit.job..", CORE + "..")
                .check(CLASSES);
    }

    @Test
    void securityImportsOnlyWebAndConfig() {
        onlySparsefitPackages("io.sparsefit.security..", "io.sparsefit.web..", "io.sparsefit.config..");
    }

    @Test
    void datasetImportsOnlyWebConfigAndCoreDataTypes() {
        onlySparsefitPackages("io.sparsefit.dataset..", "io.sparsefit.web..", "io.sparsefit.config..", CORE);
    }

    @Test
    void modelImportsOnlyCoreDatasetWebAndConfig() {
        onlySparsefitPackages("io.sparsefit.model..",
                CORE + "..", "io.sparsefit.dataset..", "io.sparsefit.web..", "io.sparsefit.config..");
    }

    /**
     * The one job queue (issue 22) sits below the three features that run on it: it knows no fit, path or scoring,
     * only the {@code JobRunner} each plugs in.
     */
    @Test
    void jobImportsOnlyTheCancellationTokenKernelNameDatasetModelWebAndConfig() {
        onlySparsefitPackages("io.sparsefit.job..",
                CORE + ".solver", CORE + ".kernel", "io.sparsefit.dataset..", "io.sparsefit.model..", "io.sparsefit.web..",
                "io.sparsefit.config..");
    }

    @Test
    void jobImportsNoFeatureThatRunsOnIt() {
        noClasses().that().resideInAPackage("io.sparsefit.job..")
                .should().dependOnClassesThat().resideInAnyPackage("io.sparsefit.fit..", "io.sparsefit.path..", "io.sparsefit.scoring..")
                .because("fits, paths and scorings are three runners of one queue; the queue does not know them")
                .check(CLASSES);
    }

    /** A feature uses another's request or checks at most, never its job code (its {@code JobRunner}). */
    @Test
    void featuresDoNotUseEachOthersRunners() {
        for (String feature : List.of("io.sparsefit.fit..", "io.sparsefit.path..", "io.sparsefit.scoring..")) {
            noClasses().that().resideInAPackage(feature)
                    .should().dependOnClassesThat(assignableTo(JobRunner.class).and(not(resideInAPackage(feature)))
                            .and(not(belongToAnyOf(JobRunner.class))))
                    .check(CLASSES);
        }
    }

    @Test
    void fitImportsOnlyCoreDatasetModelJobWebAndConfig() {
        onlySparsefitPackages("io.sparsefit.fit..",
                CORE + "..", "io.sparsefit.dataset..", "io.sparsefit.model..", "io.sparsefit.job..", "io.sparsefit.web..",
                "io.sparsefit.config..");
    }

    @Test
    void inferenceImportsOnlyModelWebAndConfig() {
        onlySparsefitPackages("io.sparsefit.inference..",
                "io.sparsefit.model..", "io.sparsefit.web..", "io.sparsefit.config..");
    }

    @Test
    void pathImportsOnlyCoreDatasetModelFitJobWebAndConfig() {
        onlySparsefitPackages("io.sparsefit.path..",
                CORE + "..", "io.sparsefit.dataset..", "io.sparsefit.model..", "io.sparsefit.fit..", "io.sparsefit.job..",
                "io.sparsefit.web..", "io.sparsefit.config..");
    }

    @Test
    void nothingImportsThePathService() {
        noClasses().that().resideOutsideOfPackage("io.sparsefit.path..")
                .should().dependOnClassesThat().resideInAPackage("io.sparsefit.path..")
                .check(CLASSES);
    }

    @Test
    void scoringImportsOnlyCoreDataTypesAndTokenDatasetModelJobWebAndConfig() {
        onlySparsefitPackages("io.sparsefit.scoring..",
                CORE, CORE + ".solver", "io.sparsefit.dataset..", "io.sparsefit.model..", "io.sparsefit.job..", "io.sparsefit.web..",
                "io.sparsefit.config..");
    }

    @Test
    void nothingImportsTheScoringService() {
        noClasses().that().resideOutsideOfPackage("io.sparsefit.scoring..")
                .should().dependOnClassesThat().resideInAPackage("io.sparsefit.scoring..")
                .check(CLASSES);
    }

    /**
     * Classes of {@code pkg} depend on no {@code io.sparsefit} class outside {@code pkg} and {@code allowed}
     * (third-party and JDK classes are not restricted here).
     */
    private static void onlySparsefitPackages(String pkg, String... allowed) {
        String[] permitted = new String[allowed.length + 1];
        permitted[0] = pkg;
        System.arraycopy(allowed, 0, permitted, 1, allowed.length);
        noClasses().that().resideInAPackage(pkg)
                .should().dependOnClassesThat(resideInAPackage("io.sparsefit..")
                        .and(not(resideInAnyPackage(permitted))))
                .check(CLASSES);
    }
}
