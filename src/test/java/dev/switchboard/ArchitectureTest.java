package dev.switchboard;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;

import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import dev.switchboard.platform.security.RequiresScope;

/**
 * Rules held by a tool: the layering of STYLE.md habit 1 (the domain-free platform never reaches into the shop),
 * and no HTTP endpoint without a declared scope.
 */
@AnalyzeClasses(packages = "dev.switchboard", importOptions = ImportOption.DoNotIncludeTests.class)
class ArchitectureTest {

    @ArchTest
    static final ArchRule platform_never_depends_on_shop = noClasses()
            .that().resideInAPackage("dev.switchboard.platform..")
            .should().dependOnClassesThat().resideInAPackage("dev.switchboard.shop..")
            .because("the platform is domain-free machinery that any domain can reuse");

    @ArchTest
    static final ArchRule every_endpoint_declares_its_scope = methods()
            .that().areAnnotatedWith(GET.class).or().areAnnotatedWith(POST.class).or().areAnnotatedWith(PUT.class)
            .or().areAnnotatedWith(DELETE.class).or().areAnnotatedWith(PATCH.class)
            .should().beAnnotatedWith(RequiresScope.class).orShould().beAnnotatedWith(PermitAll.class)
            .because("an endpoint without a scope would be open to any caller with any valid token");
}
