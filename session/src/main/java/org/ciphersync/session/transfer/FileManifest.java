package org.ciphersync.session.transfer;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.ciphersync.session.wire.GroupMessage;

/**
 * A file's whole chunk list as a source sends it, in MANIFEST pages, and as a target holds it once
 * {@link ManifestAssembler} put the pages back together and checked them (the file hash is the SHA-256
 * of the chunk hashes).
 *
 * @param sourceNode the node the content comes from
 * @param path       the file's path on that node
 * @param fileHash   SHA-256 of the concatenated chunk hashes
 * @param lengths    each chunk's length
 * @param hashes     each chunk's SHA-256, 32 bytes each, in order
 * @param targets    the members that answer it
 */
public record FileManifest(String sourceNode, String path, byte[] fileHash, int[] lengths, byte[] hashes, List<Integer> targets) {
    public FileManifest {
        if (fileHash.length != 32 || hashes.length != 32L * lengths.length || lengths.length > GroupMessage.Manifest.MAX_CHUNKS) {
            throw new IllegalArgumentException("manifest of " + path + " is malformed");
        }
        targets = List.copyOf(targets);
        fileHash = fileHash.clone();
        lengths = lengths.clone();
        hashes = hashes.clone();
    }

    @Override
    public byte[] fileHash() {
        return fileHash.clone();
    }

    @Override
    public int[] lengths() {
        return lengths.clone();
    }

    @Override
    public byte[] hashes() {
        return hashes.clone();
    }

    public int chunkCount() {
        return lengths.length;
    }

    /** The content's size: the sum of the chunk lengths. */
    public long size() {
        long s = 0;
        for (int l : lengths) {
            s += l;
        }
        return s;
    }

    /** The MANIFEST pages of run {@code runId} that carry this list, {@code pageSize} chunks each (the last may be shorter). */
    public List<GroupMessage.Manifest> pages(long runId, int pageSize) {
        if (pageSize < 1 || pageSize > GroupMessage.Manifest.MAX_PAGE) {
            throw new IllegalArgumentException("page size " + pageSize + " is not within 1.." + GroupMessage.Manifest.MAX_PAGE);
        }
        int n = lengths.length;
        List<GroupMessage.Manifest> pages = new ArrayList<>(n / pageSize + 1);
        int first = 0;
        do {
            int end = Math.min(n, first + pageSize);
            pages.add(new GroupMessage.Manifest(runId, sourceNode, path, fileHash, n, first, Arrays.copyOfRange(lengths, first, end),
                    Arrays.copyOfRange(hashes, first * 32, end * 32), targets));
            first = end;
        } while (first < n);
        return pages;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FileManifest m && sourceNode.equals(m.sourceNode) && path.equals(m.path) && Arrays.equals(fileHash, m.fileHash)
                && Arrays.equals(lengths, m.lengths) && Arrays.equals(hashes, m.hashes) && targets.equals(m.targets);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(fileHash) * 31 + path.hashCode();
    }

    @Override
    public String toString() {
        return "FileManifest[" + sourceNode + ":" + path + ", " + lengths.length + " chunks]";
    }
}
