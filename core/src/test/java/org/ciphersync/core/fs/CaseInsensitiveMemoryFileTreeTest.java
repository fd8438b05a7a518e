package org.ciphersync.core.fs;

/** The contract holds for the case-insensitive mode too. */
class CaseInsensitiveMemoryFileTreeTest extends FileTreeContract {
    @Override
    protected FileTree newTree() {
        return MemoryFileTree.builder().caseInsensitive().build();
    }
}
