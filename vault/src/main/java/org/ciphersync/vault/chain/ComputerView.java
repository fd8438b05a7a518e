package org.ciphersync.vault.chain;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;
import java.util.Iterator;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;
import org.ciphersync.vault.tree.FileVersion;
import org.ciphersync.vault.tree.VaultPath;

/**
 * What one computer's log says the namespace looks like: the fold of its commits in sequence
 * order, where each commit replaces everything below its roots by its own tree.
 */
public final class ComputerView {
    private final TreeMap<VaultPath, FileVersion> entries = new TreeMap<>();

    /** Applies the next commit of the log: its roots and the versions of its tree. */
    public void apply(Collection<VaultPath> roots, Collection<FileVersion> versions) {
        for (VaultPath root : roots) {
            removeBelow(entries, root);
        }
        for (FileVersion v : versions) {
            boolean covered = roots.stream().anyMatch(r -> v.path().startsWith(r));
            if (!covered) {
                throw new IllegalArgumentException("version of " + v.path() + " lies outside the commit's roots " + roots);
            }
            entries.put(v.path(), v);
        }
    }

    /** The current view (a read-only snapshot copy). */
    public NavigableMap<VaultPath, FileVersion> entries() {
        return java.util.Collections.unmodifiableNavigableMap(new TreeMap<>(entries));
    }

    /** One commit of a log for {@link #foldNewestFirst}: its roots and (lazily) its versions. */
    public record Step(List<VaultPath> roots, Supplier<? extends Collection<FileVersion>> versions) {
    }

    /**
     * The same result as {@link #apply}ing {@code steps} in order, computed from the newest step
     * backwards so that a step whose roots are all covered by newer steps is never loaded (its
     * tree is never read). Property-tested against the forward fold.
     */
    public static TreeMap<VaultPath, FileVersion> foldNewestFirst(List<Step> steps) {
        TreeMap<VaultPath, FileVersion> out = new TreeMap<>();
        List<VaultPath> covered = new ArrayList<>();
        for (int i = steps.size() - 1; i >= 0; i--) {
            Step step = steps.get(i);
            if (step.roots().stream().allMatch(r -> covered.stream().anyMatch(r::startsWith))) {
                continue;
            }
            for (FileVersion v : step.versions().get()) {
                if (step.roots().stream().noneMatch(r -> v.path().startsWith(r))) {
                    throw new IllegalArgumentException("version of " + v.path() + " lies outside the commit's roots " + step.roots());
                }
                if (covered.stream().noneMatch(r -> v.path().startsWith(r))) {
                    out.put(v.path(), v);
                }
            }
            covered.addAll(step.roots());
        }
        return out;
    }

    /** Removes {@code root} and every path below it from {@code map}. */
    public static <V> void removeBelow(NavigableMap<VaultPath, V> map, VaultPath root) {
        Iterator<Map.Entry<VaultPath, V>> it = map.tailMap(root, true).entrySet().iterator();
        while (it.hasNext()) {
            VaultPath p = it.next().getKey();
            if (!p.startsWith(root)) {
                break;
            }
            it.remove();
        }
    }
}
