package org.ciphersync.cli;

import java.util.List;
import org.ciphersync.cli.inventory.InventoryCommand;
import org.ciphersync.cli.local.LocalCommand;
import org.ciphersync.cli.relay.RelayCommand;
import org.ciphersync.cli.session.SessionCommand;
import org.ciphersync.cli.session.SessionJoinCommand;
import org.ciphersync.cli.session.SessionStartCommand;
import org.ciphersync.cli.vault.ChainCommand;
import org.ciphersync.cli.vault.CheckCommand;
import org.ciphersync.cli.vault.DownCommand;
import org.ciphersync.cli.vault.InitCommand;
import org.ciphersync.cli.vault.JoinCommand;
import org.ciphersync.cli.vault.LogCommand;
import org.ciphersync.cli.vault.PasswdCommand;
import org.ciphersync.cli.vault.PreviewCommand;
import org.ciphersync.cli.vault.PruneCommand;
import org.ciphersync.cli.vault.RecoveryKeyCommand;
import org.ciphersync.cli.vault.RestoreCommand;
import org.ciphersync.cli.vault.UpCommand;
import org.ciphersync.cli.vault.VaultCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Every command of {@code ciphersync}, as a tree of picocli command classes, and the one place where
 * a command is registered.
 *
 * <p>Picocli builds a command's model by reflection over its class, mixins and options, which costs
 * about a tenth of a second for this whole tree at every start. {@link #commandLine} therefore
 * builds only the branch the arguments name ({@code vault up …} builds {@code ciphersync},
 * {@code vault} and {@code up}), and the whole tree when they name none (help, usage errors).
 */
final class CommandTree {
    /** A command class and its subcommands; the name is the class's {@code @Command(name)}. */
    record Node(Class<?> command, List<Node> children) {
        String name() {
            return command.getAnnotation(Command.class).name();
        }
    }

    static final Node ROOT = node(Main.class,
            leaf(LocalCommand.class),
            leaf(InventoryCommand.class),
            leaf(RelayCommand.class),
            node(SessionCommand.class, leaf(SessionStartCommand.class), leaf(SessionJoinCommand.class)),
            node(VaultCommand.class, leaf(InitCommand.class), leaf(JoinCommand.class), leaf(UpCommand.class),
                    leaf(PreviewCommand.class), leaf(DownCommand.class), leaf(LogCommand.class),
                    leaf(RestoreCommand.class), leaf(CheckCommand.class), leaf(PruneCommand.class),
                    leaf(PasswdCommand.class), leaf(RecoveryKeyCommand.class), leaf(ChainCommand.class)));

    private CommandTree() {
    }

    /** The command line for {@code args}: the branch they name, or the whole tree. */
    static CommandLine commandLine(String... args) {
        return build(ROOT, args, 0);
    }

    private static CommandLine build(Node node, String[] args, int depth) {
        CommandLine cl = new CommandLine(instance(node.command()));
        String next = depth < args.length ? args[depth] : null;
        Node named = node.children().stream().filter(c -> c.name().equals(next)).findFirst().orElse(null);
        for (Node child : node.children()) {
            if (named == null || child == named) {
                cl.addSubcommand(build(child, args, depth + 1));
            }
        }
        if (node == ROOT && named == null) {
            cl.addSubcommand(new CommandLine(new CommandLine.HelpCommand()));
        }
        return cl;
    }

    private static Object instance(Class<?> type) {
        try {
            return type.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create command " + type.getName(), e);
        }
    }

    private static Node leaf(Class<?> command) {
        return new Node(command, List.of());
    }

    private static Node node(Class<?> command, Node... children) {
        return new Node(command, List.of(children));
    }
}
