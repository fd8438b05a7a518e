package org.ciphersync.vault.bench;

import java.security.SecureRandom;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import org.ciphersync.vault.chain.ComputerId;
import org.ciphersync.vault.chain.Merge;
import org.ciphersync.vault.chain.Resolution;
import org.ciphersync.vault.chain.VersionVector;
import org.ciphersync.vault.format.BlobKind;
import org.ciphersync.vault.format.IndexEntry;
import org.ciphersync.vault.format.ObjectNames;
import org.ciphersync.vault.store.BlobName;
import org.ciphersync.vault.sync.SyncedVersion;
import org.ciphersync.vault.tree.BlobId;
import org.ciphersync.vault.tree.EntryKind;
import org.ciphersync.vault.tree.FileVersion;
import org.ciphersync.vault.tree.VaultPath;

/**
 * Heap needed by the in-memory structures of a down-sync or preview of an N-file vault (one chunk
 * per file, two computers): the committed index, the local state, two views and the merged state.
 * Args: N (default 1,000,000).
 */
public final class MemoryBench {
    private MemoryBench() {
    }

    public static void main(String[] args) {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        SecureRandom rnd = new SecureRandom();
        ComputerId a = ComputerId.random(rnd);
        ComputerId b = ComputerId.random(rnd);
        long base = used();
        Map<BlobId, IndexEntry> index = new HashMap<>();
        TreeMap<VaultPath, FileVersion> viewA = new TreeMap<>();
        BlobName pack = ObjectNames.pack("0".repeat(64), a);
        for (int i = 0; i < n; i++) {
            byte[] id = new byte[32];
            rnd.nextBytes(id);
            BlobId chunk = BlobId.of(id);
            if (i % 1000 == 0) {
                pack = ObjectNames.pack(String.format("%064x", i), a);
            }
            index.put(chunk, new IndexEntry(chunk, BlobKind.CHUNK, pack, (i % 1000) * 8000L, 8000, 7900));
            VaultPath p = VaultPath.parse("~/projects/p" + (i / 100_000) + "/dir" + (i / 1000) + "/file-" + i + ".txt");
            viewA.put(p, new FileVersion(p, EntryKind.FILE, 7900, 1_700_000_000_000_000_000L + i, 0644, id, List.of(chunk), "",
                    VersionVector.EMPTY.with(a, 1), a, 1_700_000_000_000L));
        }
        long afterIndexAndView = used();
        TreeMap<VaultPath, SyncedVersion> state = new TreeMap<>();
        viewA.forEach((p, v) -> state.put(p, new SyncedVersion(v, v.size(), v.mtimeNanos())));
        long afterState = used();
        TreeMap<VaultPath, FileVersion> viewB = new TreeMap<>(viewA);
        SortedMap<VaultPath, Resolution> merged = Merge.merge(List.of(viewA, viewB));
        long afterMerge = used();
        System.out.printf("files %d%n", n);
        System.out.printf("index + one view   %6d MiB%n", (afterIndexAndView - base) >> 20);
        System.out.printf("local state        %6d MiB%n", (afterState - afterIndexAndView) >> 20);
        System.out.printf("second view+merged %6d MiB%n", (afterMerge - afterState) >> 20);
        System.out.printf("total              %6d MiB (%d B per file)%n", (afterMerge - base) >> 20, (afterMerge - base) / n);
        if (index.size() + state.size() + merged.size() + viewB.size() == 0) {
            System.out.println();
        }
    }

    private static long used() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        Runtime r = Runtime.getRuntime();
        return r.totalMemory() - r.freeMemory();
    }
}
