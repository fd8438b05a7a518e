package org.ciphersync.core.fs;

/** One entry of a directory listing: its name (a single path segment) and its metadata. */
public record DirEntry(String name, FileAttrs attrs) {
}
