package org.ciphersync.vault.tree;

import java.nio.file.Path;
import java.util.Objects;
import org.ciphersync.core.path.InvalidPathException;
import org.ciphersync.core.path.RelPath;

/**
 * A path as the vault stores it: relative to the user's home ({@code ~/docs/a.txt}, restored into
 * the receiving user's home) or absolute ({@code /etc/hosts}, restored as is). The part after the
 * root is a validated {@link RelPath}, so a path read from hostile storage can never contain
 * {@code ..}, empty or control-character segments.
 *
 * @param home whether the path is relative to the user's home
 * @param rel  the validated part after the root; {@link RelPath#ROOT} for the root itself
 */
public record VaultPath(boolean home, RelPath rel) implements Comparable<VaultPath> {
    public static final VaultPath HOME = new VaultPath(true, RelPath.ROOT);
    public static final VaultPath ABSOLUTE_ROOT = new VaultPath(false, RelPath.ROOT);

    public VaultPath {
        Objects.requireNonNull(rel, "rel == null");
    }

    /** Parses {@code ~}, {@code ~/a/b}, {@code /} or {@code /a/b}; throws naming the problem. */
    public static VaultPath parse(String s) {
        Objects.requireNonNull(s, "path == null");
        if (s.equals("~")) {
            return HOME;
        }
        if (s.startsWith("~/")) {
            return new VaultPath(true, RelPath.of(s.substring(2)));
        }
        if (s.equals("/")) {
            return ABSOLUTE_ROOT;
        }
        if (s.startsWith("/")) {
            return new VaultPath(false, RelPath.of(s.substring(1)));
        }
        throw new InvalidPathException(s, "vault paths start with '~/' or '/'");
    }

    /**
     * The vault path of a local absolute path: relative to {@code home} when it is inside it,
     * absolute otherwise. The path is normalized first.
     */
    public static VaultPath ofLocal(Path local, Path home) {
        Path p = local.toAbsolutePath().normalize();
        Path h = home.toAbsolutePath().normalize();
        if (p.startsWith(h)) {
            Path r = h.relativize(p);
            return new VaultPath(true, r.toString().isEmpty() ? RelPath.ROOT : RelPath.of(r.toString().replace('\\', '/')));
        }
        String s = p.toString().replace('\\', '/');
        return s.equals("/") ? ABSOLUTE_ROOT : new VaultPath(false, RelPath.of(s.substring(1)));
    }

    /** Where this path lives on a computer whose user's home is {@code home}. */
    public Path toLocal(Path home) {
        Path base = this.home ? home.toAbsolutePath().normalize() : Path.of("/");
        return rel.isRoot() ? base : base.resolve(rel.value());
    }

    public boolean isRoot() {
        return rel.isRoot();
    }

    /** The folder this path is in, or null for a root. */
    public VaultPath parent() {
        return rel.isRoot() ? null : new VaultPath(home, rel.parent());
    }

    public VaultPath resolve(String name) {
        return new VaultPath(home, rel.resolve(name));
    }

    public String name() {
        return rel.isRoot() ? (home ? "~" : "/") : rel.name();
    }

    /** Whether this path is {@code prefix} or lies below it. */
    public boolean startsWith(VaultPath prefix) {
        return home == prefix.home && rel.startsWith(prefix.rel);
    }

    @Override
    public int compareTo(VaultPath o) {
        if (home != o.home) {
            return home ? -1 : 1;
        }
        return rel.compareTo(o.rel);
    }

    @Override
    public String toString() {
        if (rel.isRoot()) {
            return home ? "~" : "/";
        }
        return (home ? "~/" : "/") + rel.value();
    }
}
