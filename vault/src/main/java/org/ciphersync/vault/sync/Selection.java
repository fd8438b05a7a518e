package org.ciphersync.vault.sync;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.ciphersync.core.path.InvalidPathException;
import org.ciphersync.vault.VaultException;
import org.ciphersync.vault.tree.VaultPath;

/**
 * Which vault paths a selective down-sync or restore touches: {@code --only} values that are paths
 * (local, relative to the working folder, or vault paths {@code ~/…}) select that path and
 * everything below it; values with {@code * ? [ {} are globs matched against the local path
 * ({@code ~/docs/*.txt} or {@code /home/me/docs/*.txt}; {@code **} crosses folders).
 */
public final class Selection {
    private Selection() {
    }

    public static Predicate<VaultPath> of(List<String> specs, Path home, Path cwd) {
        if (specs == null || specs.isEmpty()) {
            return p -> true;
        }
        List<Predicate<VaultPath>> parts = new ArrayList<>();
        for (String s : specs) {
            String spec = s.startsWith("~/") ? home.resolve(s.substring(2)).toString() : s.equals("~") ? home.toString() : s;
            if (spec.matches(".*[*?\\[{].*")) {
                String abs = Path.of(spec).isAbsolute() ? spec : cwd.resolve(spec).toString();
                PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + abs);
                parts.add(p -> m.matches(p.toLocal(home)));
            } else {
                VaultPath prefix;
                try {
                    prefix = VaultPath.ofLocal(cwd.resolve(spec), home);
                } catch (InvalidPathException e) {
                    throw new VaultException(VaultException.Kind.USAGE, "--only " + s + ": " + e.getMessage());
                }
                parts.add(p -> p.startsWith(prefix));
            }
        }
        return p -> parts.stream().anyMatch(x -> x.test(p));
    }
}
