package io.nexusmonitor.arch;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The layer rules of docs/architecture.md, each with the reason it exists. */
@AnalyzeClasses(packages = "io.nexusmonitor", importOptions = ImportOption.DoNotIncludeTests.class)
class LayerTest {

    private static final String[] CORE = {"io.nexusmonitor.registry..", "io.nexusmonitor.config..",
        "io.nexusmonitor.routing..", "io.nexusmonitor.control..", "io.nexusmonitor.discovery.logic..",
        "io.nexusmonitor.health.logic.."};

    @ArchTest
    static final ArchRule coreHasNoJavaFx = noClasses().that().resideInAnyPackage(CORE)
            .should().dependOnClassesThat().resideInAnyPackage("javafx..", "org.kordamp..")
            .because("the registry and the rules must run headless (--no-gui, CI) and be testable without a toolkit");

    @ArchTest
    static final ArchRule coreHasNoJetty = noClasses().that().resideInAnyPackage(CORE)
            .should().dependOnClassesThat().resideInAnyPackage("org.eclipse.jetty..")
            .because("HTTP is an adapter: routing decisions and health rules are tested without sockets");

    @ArchTest
    static final ArchRule coreHasNoJmdns = noClasses().that().resideInAnyPackage(CORE)
            .should().dependOnClassesThat().resideInAnyPackage("javax.jmdns..")
            .because("mDNS is an adapter: discovery rules are tested with simulated events, not packets");

    @ArchTest
    static final ArchRule onlyGuiTouchesJavaFx = noClasses().that().resideOutsideOfPackages("io.nexusmonitor.gui..")
            .should().dependOnClassesThat().resideInAnyPackage("javafx..")
            .because("the launcher must decide headless vs window before any JavaFX class loads");

    @ArchTest
    static final ArchRule guiDoesNoNetworkWork = noClasses().that().resideInAPackage("io.nexusmonitor.gui..")
            .should().dependOnClassesThat().resideInAnyPackage("javax.jmdns..", "org.eclipse.jetty..", "java.net.http..")
            .because("the window never freezes: mDNS and HTTP run in the engine, the window only calls BackendControl");

    @ArchTest
    static final ArchRule guiDecisionsArePlainJava = noClasses()
            .that().haveSimpleNameEndingWith("Batcher").or().haveSimpleNameEndingWith("Policy")
            .or().haveSimpleNameEndingWith("Store").or().haveSimpleName("Formats").or().haveSimpleName("LogLines")
            .should().dependOnClassesThat().resideInAnyPackage("javafx..")
            .because("the event coalescing and notice rules are unit-tested without a toolkit");

    @ArchTest
    static final ArchRule nothingBelowDependsOnApp = noClasses().that().resideInAnyPackage(CORE)
            .should().dependOnClassesThat().resideInAnyPackage("io.nexusmonitor.app..", "io.nexusmonitor.cli..",
                    "io.nexusmonitor.api..", "io.nexusmonitor.gui..")
            .because("dependencies point down: cli -> app -> adapters -> routing -> registry");

    @ArchTest
    static final ArchRule adaptersUseControlNotEngine = noClasses()
            .that().resideInAnyPackage("io.nexusmonitor.api..", "io.nexusmonitor.gui..")
            .should().dependOnClassesThat().haveFullyQualifiedName("io.nexusmonitor.app.NexusEngine")
            .because("the API and the window act through BackendControl, so both modes behave the same")
            .allowEmptyShould(true);

    @ArchTest
    static final ArchRule loggingIsSlf4j = noClasses().should().dependOnClassesThat()
            .resideInAnyPackage("java.util.logging..", "org.apache.log4j..", "org.apache.logging.log4j..")
            .because("one logging API (SLF4J) so [logging] configures every message, JmDNS's included");
}
