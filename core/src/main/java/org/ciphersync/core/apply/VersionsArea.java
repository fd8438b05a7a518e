package org.ciphersync.core.apply;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ciphersync.core.fs.DirEntry;
import org.ciphersync.core.fs.FileTree;
import org.ciphersync.core.path.RelPath;
import org.ciphersync.core.state.EngineArea;

/**
 * Where overwritten and deleted items go instead of oblivion:
 * {@code .ciphersync/versions/<path>~<yyyyMMdd-HHmmss>} (UTC time of the run; {@code -2}, {@code -3}
 * … appended when that name is taken), on the same node, by a rename, so keeping a version costs
 * no copy. A directory moved there whole keeps its contents. When the name would exceed the path
 * limits, the version goes to {@code .ciphersync/versions/~long/<hash of the path>~<time>}.
 * {@link #prune} deletes versions older than the retention period.
 */
public final class VersionsArea {
    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
    private static final Pattern SUFFIX = Pattern.compile("~(\\d{8}-\\d{6})(?:-\\d+)?$");

    private VersionsArea() {
    }

    /** The name a version of {@code original} kept at {@code at} gets (attempt ≥ 1). */
    public static RelPath versionPath(RelPath original, Instant at, int attempt) {
        String suffix = "~" + TS.format(at) + (attempt > 1 ? "-" + attempt : "");
        String name = original.name() + suffix;
        RelPath parent = original.parent() == null ? RelPath.ROOT : original.parent();
        String full = EngineArea.VERSIONS.value() + "/" + (parent.isRoot() ? "" : parent.value() + "/") + name;
        if (name.length() <= RelPath.MAX_NAME_LENGTH && RelPath.problem(full) == null) {
            return RelPath.of(full);
        }
        return EngineArea.VERSIONS.resolve("~long").resolve(hash(original.value()) + suffix);
    }

    private static String hash(String s) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 unavailable", e);
        }
    }

    /** Moves the item at {@code path} (file, link or directory) into the versions area; returns where. */
    public static RelPath keep(FileTree tree, RelPath path, Instant now) throws IOException {
        for (int attempt = 1; attempt < 10_000; attempt++) {
            RelPath v = versionPath(path, now, attempt);
            if (tree.stat(v).isPresent()) {
                continue;
            }
            tree.createDirectories(v.parent());
            tree.rename(path, v);
            return v;
        }
        throw new IOException("no free name in the versions area for " + path);
    }

    /**
     * Deletes versions kept longer than {@code retention} (by the time in their name) and the
     * folders that become empty. Returns how many versions were deleted.
     */
    public static int prune(FileTree tree, Duration retention, Instant now) throws IOException {
        if (tree.stat(EngineArea.VERSIONS).isEmpty()) {
            return 0;
        }
        Instant cutoff = now.minus(retention);
        return pruneDir(tree, EngineArea.VERSIONS, cutoff);
    }

    private static int pruneDir(FileTree tree, RelPath dir, Instant cutoff) throws IOException {
        int n = 0;
        List<DirEntry> entries = tree.list(dir);
        for (DirEntry e : entries) {
            if (RelPath.problem(e.name()) != null) {
                continue;
            }
            RelPath p = dir.resolve(e.name());
            Instant kept = keptAt(e.name());
            if (kept != null && kept.isBefore(cutoff)) {
                n += deleteRecursively(tree, p);
            } else if (e.attrs().isDirectory()) {
                n += pruneDir(tree, p, cutoff);
                if (tree.list(p).isEmpty()) {
                    tree.delete(p);
                }
            }
        }
        return n;
    }

    /** The time in a version's name, or null when the name carries none. */
    static Instant keptAt(String name) {
        Matcher m = SUFFIX.matcher(name);
        if (!m.find()) {
            return null;
        }
        try {
            return LocalDateTime.parse(m.group(1), DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")).toInstant(ZoneOffset.UTC);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    private static int deleteRecursively(FileTree tree, RelPath p) throws IOException {
        var a = tree.stat(p);
        if (a.isEmpty()) {
            return 0;
        }
        if (a.get().isDirectory()) {
            for (DirEntry e : tree.list(p)) {
                deleteRecursively(tree, p.resolve(e.name()));
            }
        }
        tree.delete(p);
        return 1;
    }
}
