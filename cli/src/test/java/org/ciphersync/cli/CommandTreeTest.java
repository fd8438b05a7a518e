package org.ciphersync.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The command tree through the real entry point: lazily built branches behave like the whole tree. */
class CommandTreeTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Main.run(new PrintWriter(out, true), new PrintWriter(err, true), args);
    }

    @Test
    void aNamedBranch_isTheOnlyOneBuilt() {
        CommandLine cl = CommandTree.commandLine("vault", "up", "x");
        assertThat(cl.getSubcommands()).containsOnlyKeys("vault");
        assertThat(cl.getSubcommands().get("vault").getSubcommands()).containsOnlyKeys("up");
    }

    @Test
    void noBranchNamed_buildsTheWholeTree() {
        Map<String, CommandLine> top = CommandTree.commandLine("--help").getSubcommands();
        assertThat(top).containsKeys("local", "inventory", "relay", "session", "vault", "help");
        assertThat(top.get("vault").getSubcommands()).containsKeys("init", "join", "up", "preview", "down", "log",
                "restore", "check", "prune", "passwd", "chain");
        assertThat(top.get("session").getSubcommands()).containsOnlyKeys("start", "join");
    }

    @Test
    void everyNodeIsARealCommandWithAUniqueName() {
        assertUniqueNames(CommandTree.ROOT);
    }

    private static void assertUniqueNames(CommandTree.Node node) {
        assertThat(node.children().stream().map(CommandTree.Node::name).distinct().count())
                .as("subcommand names of %s", node.name()).isEqualTo(node.children().size());
        node.children().forEach(CommandTreeTest::assertUniqueNames);
    }

    @Test
    void topLevelHelp_listsEveryCommand() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("local", "inventory", "relay", "session", "vault");
    }

    @Test
    void helpOfASubcommand_works_bothWays() {
        assertThat(run("vault", "up", "--help")).isZero();
        assertThat(out.toString()).contains("Usage: ciphersync vault up");
        out.getBuffer().setLength(0);
        assertThat(run("help", "local")).isZero();
        assertThat(out.toString()).contains("Usage: ciphersync local");
    }

    @Test
    void theVersionOption_isInheritedByABranch() {
        assertThat(run("--version")).isZero();
        assertThat(out.toString()).startsWith("ciphersync ");
        out.getBuffer().setLength(0);
        assertThat(run("session", "--version")).isZero();
        assertThat(out.toString()).startsWith("ciphersync ");
    }

    @Test
    void anUnknownCommand_isAUsageError_namingIt() {
        assertThat(run("frobnicate")).isEqualTo(ExitCode.USAGE.code());
        assertThat(err.toString()).contains("frobnicate");
        err.getBuffer().setLength(0);
        assertThat(run("vault", "frobnicate")).isEqualTo(ExitCode.USAGE.code());
        assertThat(err.toString()).contains("frobnicate");
    }
}
