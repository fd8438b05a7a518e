package org.ciphersync.crypto;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The module's boundaries, enforced: a leaf on the JDK and Bouncy Castle, packages without cycles. */
class CryptoArchitectureTest {
    private static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.ciphersync.crypto");

    @Test
    void crypto_dependsOnlyOnTheJdkAndBouncyCastle() {
        classes().should().onlyDependOnClassesThat()
                .resideInAnyPackage("java..", "javax..", "org.bouncycastle..", "org.ciphersync.crypto..")
                .check(CLASSES);
    }

    @Test
    void packages_areFreeOfCycles() {
        slices().matching("org.ciphersync.crypto.(*)..").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void bouncyCastle_isUsedOnlyWhereTheJdkHasNoEquivalent() {
        noClasses().that().resideOutsideOfPackages("org.ciphersync.crypto.kdf", "org.ciphersync.crypto.pake")
                .should().dependOnClassesThat().resideInAPackage("org.bouncycastle..")
                .because("Argon2id, HKDF (release 21) and EC J-PAKE come from Bouncy Castle; everything else uses the JDK")
                .check(CLASSES);
    }
}
