package org.ciphersync.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Module boundaries as the design states them (dependencies point inward). Maven already refuses
 * to compile an undeclared dependency; this test also catches one added to a pom by mistake.
 */
class ArchitectureTest {
    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("org.ciphersync");
    }

    @Test
    void cryptoDependsOnNothingOfOurs() {
        noClasses().that().resideInAPackage("org.ciphersync.crypto..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "org.ciphersync.core..", "org.ciphersync.vault..", "org.ciphersync.relay..",
                        "org.ciphersync.session..", "org.ciphersync.cli..", "org.ciphersync.app..")
                .allowEmptyShould(true)
                .check(classes);
    }

    @Test
    void coreDependsOnNothingOfOurs() {
        noClasses().that().resideInAPackage("org.ciphersync.core..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "org.ciphersync.crypto..", "org.ciphersync.vault..", "org.ciphersync.relay..",
                        "org.ciphersync.session..", "org.ciphersync.cli..", "org.ciphersync.app..")
                .allowEmptyShould(true)
                .check(classes);
    }

    @Test
    void relayNeverSeesCryptoCoreOrVault_soItCanOnlyForwardCiphertext() {
        noClasses().that().resideInAPackage("org.ciphersync.relay..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "org.ciphersync.crypto..", "org.ciphersync.core..", "org.ciphersync.vault..",
                        "org.ciphersync.session..", "org.ciphersync.cli..", "org.ciphersync.app..")
                .allowEmptyShould(true)
                .check(classes);
    }

    @Test
    void relayProtocolDependsOnNothingOfOurs() {
        noClasses().that().resideInAPackage("org.ciphersync.relay.protocol..")
                .should().dependOnClassesThat().resideInAnyPackage("org.ciphersync.relay.server..")
                .allowEmptyShould(true)
                .check(classes);
    }

    @Test
    void vaultDoesNotDependOnSessionsRelayOrCli() {
        noClasses().that().resideInAPackage("org.ciphersync.vault..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "org.ciphersync.relay..", "org.ciphersync.session..", "org.ciphersync.cli..",
                        "org.ciphersync.app..")
                .allowEmptyShould(true)
                .check(classes);
    }

    /** Backends are siblings; only rclone may speak WebDAV to its own child process. */
    @Test
    void vaultBackendsDoNotKnowEachOther() {
        for (String b : new String[] {"sftp", "s3", "webdav", "rclone"}) {
            noClasses().that().resideInAPackage("org.ciphersync.vault.backend." + b + "..")
                    .should().dependOnClassesThat().resideInAnyPackage(otherBackends(b))
                    .allowEmptyShould(true)
                    .check(classes);
        }
    }

    @Test
    void noCatchAllPackages() {
        noClasses().should().resideInAnyPackage("..util..", "..utils..", "..common..", "..helpers..")
                .allowEmptyShould(true)
                .check(classes);
    }

    private static String[] otherBackends(String self) {
        return java.util.Arrays.stream(new String[] {"sftp", "s3", "webdav", "rclone"})
                .filter(b -> !b.equals(self))
                .filter(b -> !(self.equals("rclone") && b.equals("webdav")))
                .map(b -> "org.ciphersync.vault.backend." + b + "..")
                .toArray(String[]::new);
    }
}
