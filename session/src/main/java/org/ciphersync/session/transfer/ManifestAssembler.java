package org.ciphersync.session.transfer;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.ciphersync.session.wire.GroupMessage;
import org.ciphersync.session.wire.WireException;

/**
 * Puts a file's MANIFEST pages back together on a target. The only sequence accepted per file (source
 * node and path) is: a first page (chunk 0) from the member that owns the source node, then pages that
 * continue exactly where the previous one ended, from the same member, with the same file hash, total
 * and targets, until the total is reached; then the SHA-256 of all chunk hashes must equal the file
 * hash and the lengths must add up to the inventoried size. Anything else (a page out of order,
 * repeated or overlapping, a total that changes, a page of another file's sequence, a second first
 * page, too many chunks or bytes for the inventoried size) is refused with a {@link WireException} and
 * the file's assembly is dropped.
 *
 * <p>Memory: arrays grow with the pages that actually arrived (never from a declared total), and a
 * file's total may not exceed what its inventoried size allows ({@code size / minimum chunk + 1}, at
 * most {@link GroupMessage.Manifest#MAX_CHUNKS}): 36 bytes per chunk of a file the plan asks for.
 * Thread-safe.
 */
public final class ManifestAssembler {
    private final int minChunk;
    private final Map<String, Assembly> open = new HashMap<>();

    /** @param minChunk the smallest chunk the sync chunker makes (every chunk but a file's last is at least that long) */
    public ManifestAssembler(int minChunk) {
        if (minChunk < 1) {
            throw new IllegalArgumentException("minimum chunk " + minChunk + " is not positive");
        }
        this.minChunk = minChunk;
    }

    private static final class Assembly {
        final int sender;
        final GroupMessage.Manifest first;
        int received;
        long bytes;
        int[] lengths = new int[0];
        byte[] hashes = new byte[0];

        Assembly(int sender, GroupMessage.Manifest first) {
            this.sender = sender;
            this.first = first;
        }

        void add(GroupMessage.Manifest page) {
            int[] l = page.lengths();
            int need = received + l.length;
            if (need > lengths.length) {
                int cap = (int) Math.min(first.totalChunks(), Math.max(need, 2L * lengths.length));
                lengths = Arrays.copyOf(lengths, cap);
                hashes = Arrays.copyOf(hashes, cap * 32);
            }
            System.arraycopy(l, 0, lengths, received, l.length);
            System.arraycopy(page.hashes(), 0, hashes, received * 32, l.length * 32);
            for (int x : l) {
                bytes += x;
            }
            received = need;
        }
    }

    /**
     * Takes one page from {@code sender} of a file whose inventoried size is {@code size}.
     *
     * @return the whole manifest when this page completed it, else null (more pages to come)
     * @throws WireException the sequence is refused; the file's assembly is dropped
     */
    public synchronized FileManifest accept(int sender, GroupMessage.Manifest page, long size) throws WireException {
        String k = page.sourceNode() + "\u0000" + page.path();
        Assembly a = open.get(k);
        String what = "manifest of " + page.path();
        if (page.firstChunk() == 0) {
            if (a != null && a.sender == sender) {
                open.remove(k);
                throw new WireException(what + " started again before it was complete (a repeated or restarted first page)");
            }
            long allowed = Math.min(GroupMessage.Manifest.MAX_CHUNKS, size / minChunk + 1);
            if (page.totalChunks() > allowed) {
                open.remove(k);
                throw new WireException(what + " lists " + page.totalChunks() + " chunks, more than its " + size + " bytes allow");
            }
            a = new Assembly(sender, page);
            open.put(k, a);
        } else if (a == null) {
            throw new WireException(what + ": chunks " + page.firstChunk() + "+ arrived without the pages before them");
        } else {
            String why = a.sender != sender ? "comes from another member"
                    : !Arrays.equals(a.first.fileHash(), page.fileHash()) ? "belongs to another version of the file"
                    : a.first.totalChunks() != page.totalChunks() ? "declares " + page.totalChunks() + " chunks, the first page "
                            + a.first.totalChunks()
                    : a.first.runId() != page.runId() || !a.first.targets().equals(page.targets()) ? "belongs to another sequence"
                    : page.firstChunk() != a.received ? "starts at chunk " + page.firstChunk() + " where " + a.received
                            + " was expected (out of order, repeated or overlapping)"
                    : null;
            if (why != null) {
                open.remove(k);
                throw new WireException(what + ": a page " + why);
            }
        }
        a.add(page);
        if (a.bytes > size) {
            open.remove(k);
            throw new WireException(what + " describes more than the " + size + " bytes of the inventoried file");
        }
        if (a.received < a.first.totalChunks()) {
            return null;
        }
        open.remove(k);
        if (a.bytes != size) {
            throw new WireException(what + " describes " + a.bytes + " bytes, the inventory " + size);
        }
        if (!Arrays.equals(sha256(a.hashes), a.first.fileHash())) {
            throw new WireException(what + " does not match its file hash");
        }
        return new FileManifest(page.sourceNode(), page.path(), a.first.fileHash(), a.lengths, a.hashes, List.copyOf(a.first.targets()));
    }

    /** How far the assembly of {@code path} from {@code node} is ("120 of 300 chunks"), or null when none is in progress. */
    public synchronized String progress(String node, String path) {
        Assembly a = open.get(node + "\u0000" + path);
        return a == null ? null : a.received + " of " + a.first.totalChunks() + " chunks";
    }

    private static byte[] sha256(byte[] data) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JDK", e);
        }
    }
}
