package io.nexusmonitor.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The layer rules of docs/architecture.md, each with the reason it exists. */
@AnalyzeClasses(packages = "io.nexusmonitor", importOptions = ImportOption.DoNotIncludeTests.class)
class LayerTest {

    private static final String[] CORE = {
        "io.nexusmonitor.registry..",
        "io.nexusmonitor.config..",
        "io.nexusmonitor.routing..",
        "io.nexusmonitor.control..",
        "io.nexusmonitor.discovery.logic..",
        "io.nexusmonitor.health.logic.."
    };

    @ArchTest
    static final ArchRule coreHasNoJavaFx = noClasses()
            .that()
            .resideInAnyPackage(CORE)
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("javafx..", "org.kordamp..")
            .because("the registry and the rules must run headless (--no-gui, CI) and be testable without a toolkit");

    @ArchTest
    static final ArchRule coreHasNoJetty = noClasses()
            .that()
            .resideInAnyPackage(CORE)
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("org.eclipse.jetty..")
            .because("HTTP is an adapter: routing decisions and health rules are tested without sockets");

    @ArchTest
    static final ArchRule coreHasNoJmdns = noClasses()
            .that()
            .resideInAnyPackage(CORE)
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("javax.jmdns..")
            .because("mDNS is an adapter: discovery rules are tested with simulated events, not packets");

    @ArchTest
    static final ArchRule onlyGuiTouchesJavaFx = noClasses()
            .that()
            .resideOutsideOfPackages("io.nexusmonitor.gui..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("javafx..")
            .because("the launcher must decide headless vs window before any JavaFX class loads");

    @ArchTest
    static final ArchRule guiDoesNoNetworkWork = noClasses()
            .that()
            .resideInAPackage("io.nexusmonitor.gui..")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("javax.jmdns..", "org.eclipse.jetty..", "java.net.http..")
            .because("the window never freezes: mDNS and HTTP run in the engine, the window only calls BackendControl");

    @ArchTest
    static final ArchRule guiDecisionsArePlainJava = noClasses()
            .that()
            .haveSimpleNameEndingWith("Batcher")
            .or()
            .haveSimpleNameEndingWith("Policy")
            .or()
            .haveSimpleNameEndingWith("Store")
            .or()
            .haveSimpleName("Formats")
            .or()
            .haveSimpleName("LogLines")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("javafx..")
            .because("the event coalescing and notice rules are unit-tested without a toolkit");

    @ArchTest
    static final ArchRule nothingBelowDependsOnApp = noClasses()
            .that()
            .resideInAnyPackage(CORE)
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage(
                    "io.nexusmonitor.app..", "io.nexusmonitor.cli..", "io.nexusmonitor.api..", "io.nexusmonitor.gui..")
            .because("dependencies point down: cli -> app -> adapters -> routing -> registry");

    @ArchTest
    static final ArchRule adaptersUseControlNotEngine = noClasses()
            .that()
            .resideInAnyPackage("io.nexusmonitor.api..", "io.nexusmonitor.gui..")
            .should()
            .dependOnClassesThat()
            .haveFullyQualifiedName("io.nexusmonitor.app.NexusEngine")
            .because("the API and the window act through BackendControl, so both modes behave the same")
            .allowEmptyShould(true);

    @ArchTest
    static final ArchRule noPackageCycles = slices().matching("io.nexusmonitor.(**)")
            .should()
            .beFreeOfCycles()
            .because("a cycle makes two packages one: neither can be understood, tested or replaced alone,"
                    + " and the arrows of docs/architecture.md stop meaning anything");

    @ArchTest
    static final ArchRule guiUsesNoOtherAdapter = adapterUsesNoOtherAdapter("gui");

    @ArchTest
    static final ArchRule apiUsesNoOtherAdapter = adapterUsesNoOtherAdapter("api");

    @ArchTest
    static final ArchRule discoveryUsesNoOtherAdapter = adapterUsesNoOtherAdapter("discovery");

    @ArchTest
    static final ArchRule healthUsesNoOtherAdapter = adapterUsesNoOtherAdapter("health");

    @ArchTest
    static final ArchRule federationUsesNoOtherAdapter = adapterUsesNoOtherAdapter("federation");

    @ArchTest
    static final ArchRule registryUsesOnlyTheJdkAndSlf4j = classes()
            .that()
            .resideInAPackage("io.nexusmonitor.registry..")
            .should()
            .onlyDependOnClassesThat()
            .resideInAnyPackage("io.nexusmonitor.registry..", "java..", "org.slf4j..", "org.jspecify.annotations..")
            .because("the single source of truth sits under every other package: a library it pulled in would be"
                    + " a dependency of everything, and its snapshots must stay plain data (JSON lives in json;"
                    + " JSpecify's @Nullable is an annotation for the lint profile, not code)");

    /**
     * The adapters (window, HTTP API, mDNS, health probes) meet only in app, which wires them; the
     * rules they share live in the core packages, {@code discovery.logic} and {@code health.logic}
     * included (the API and the prober share {@code health.logic.BackendEndpoints}).
     */
    private static ArchRule adapterUsesNoOtherAdapter(String adapter) {
        String[] adapterCode = {
            "io.nexusmonitor.gui..",
            "io.nexusmonitor.api..",
            "io.nexusmonitor.discovery",
            "io.nexusmonitor.health",
            "io.nexusmonitor.federation"
        };
        String self = adapter.equals("gui") || adapter.equals("api")
                ? "io.nexusmonitor." + adapter + ".."
                : "io.nexusmonitor." + adapter;
        String[] others = java.util.Arrays.stream(adapterCode)
                .filter(p -> !p.equals(self))
                .toArray(String[]::new);
        return noClasses()
                .that()
                .resideInAPackage("io.nexusmonitor." + adapter + "..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(others)
                .because("adapters meet only in app (the composition root): one adapter calling another would tie"
                        + " the window, the API, mDNS and the prober together so none can run or be tested alone");
    }

    @ArchTest
    static final ArchRule loggingIsSlf4j = noClasses()
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("java.util.logging..", "org.apache.log4j..", "org.apache.logging.log4j..")
            .because("one logging API (SLF4J) so [logging] configures every message, JmDNS's included");
}
