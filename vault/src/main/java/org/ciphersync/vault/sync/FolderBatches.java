package org.ciphersync.vault.sync;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Cuts the files a restore or down-sync writes into batches for its writer threads, so that
 * threads running at the same time work in different folders.
 *
 * <p>Why: creating and renaming a file takes its folder's lock in the kernel. Sixteen writers on
 * the files of one folder (the natural order: sorted by path) queue on that lock, and Linux spins
 * while it waits: a restore of 20,000 files spent half of its kernel time in
 * {@code rwsem_spin_on_owner}. A batch holds up to {@code size} files of one folder, in their
 * order; batches are dealt round-robin across folders (the first batch of every folder, then
 * every second batch, …), so concurrent batches share a folder only when the tree has fewer
 * folders than writers.
 */
final class FolderBatches {
    private FolderBatches() {
    }

    /** Files per batch: large enough to amortize a task, small enough to spread a big folder over threads. */
    static final int SIZE = 32;

    static <T> List<List<T>> of(List<T> items, Function<T, ?> folder, int size) {
        if (size < 1) {
            throw new IllegalArgumentException("batch size " + size);
        }
        Map<Object, List<T>> byFolder = new LinkedHashMap<>();
        for (T t : items) {
            byFolder.computeIfAbsent(folder.apply(t), k -> new ArrayList<>()).add(t);
        }
        List<List<List<T>>> perFolder = new ArrayList<>(byFolder.size());
        for (List<T> files : byFolder.values()) {
            List<List<T>> cut = new ArrayList<>((files.size() + size - 1) / size);
            for (int i = 0; i < files.size(); i += size) {
                cut.add(files.subList(i, Math.min(files.size(), i + size)));
            }
            perFolder.add(cut);
        }
        List<List<T>> out = new ArrayList<>();
        for (int round = 0; !perFolder.isEmpty(); round++) {
            List<List<List<T>>> left = new ArrayList<>();
            for (List<List<T>> cut : perFolder) {
                out.add(cut.get(round));
                if (round + 1 < cut.size()) {
                    left.add(cut);
                }
            }
            perFolder = left;
        }
        return out;
    }
}
