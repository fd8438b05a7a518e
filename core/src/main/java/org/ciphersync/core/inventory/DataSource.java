package org.ciphersync.core.inventory;

import java.util.Objects;
import org.ciphersync.core.fs.FileTree;
import org.ciphersync.core.path.RelPath;

/**
 * A data node: a directory tree, or a single file within it.
 *
 * @param id   the node's label in comparisons ("A", "B", … or "A1" for a member's first source)
 * @param tree the file system below the node's root
 * @param only {@link RelPath#ROOT} for the whole tree, else the single file this node consists of
 */
public record DataSource(String id, FileTree tree, RelPath only) {
    public DataSource {
        Objects.requireNonNull(id, "id == null");
        Objects.requireNonNull(tree, "tree == null");
        Objects.requireNonNull(only, "only == null");
    }

    public static DataSource directory(String id, FileTree tree) {
        return new DataSource(id, tree, RelPath.ROOT);
    }
}
