package dev.switchboard;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

/** The layering of STYLE.md habit 1, held by a tool: the domain-free platform never reaches into the shop. */
@AnalyzeClasses(packages = "dev.switchboard", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule platform_never_depends_on_shop = noClasses()
            .that().resideInAPackage("dev.switchboard.platform..")
            .should().dependOnClassesThat().resideInAPackage("dev.switchboard.shop..")
            .because("the platform is domain-free machinery that any domain can reuse");
}
