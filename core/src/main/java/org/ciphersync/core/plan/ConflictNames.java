package org.ciphersync.core.plan;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

/**
 * Names for the losing version of a two-way conflict: {@code <stem>.conflict-<node>-<yyyyMMdd-HHmmss><.ext>}
 * next to the original, where the time (UTC) is the losing version's modification time, so the
 * name says whose edit it was and when, and a second run computes the same name.
 * Example: {@code report.conflict-B-20241231-235959.pdf}. A leading dot is not an extension
 * ({@code .bashrc.conflict-B-…}). Names stay within 255 characters by shortening the stem.
 */
public final class ConflictNames {
    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);
    private static final int MAX_NAME = 255;

    private ConflictNames() {
    }

    /** The conflict name, with {@code attempt > 1} appending {@code -<attempt>} to make it unique. */
    public static String of(String name, String nodeId, long mtimeNanos, int attempt) {
        int dot = name.lastIndexOf('.');
        String stem = dot > 0 ? name.substring(0, dot) : name;
        String ext = dot > 0 ? name.substring(dot) : "";
        Instant t = Instant.ofEpochSecond(Math.floorDiv(mtimeNanos, 1_000_000_000L));
        String suffix = ".conflict-" + nodeId + "-" + TS.format(t) + (attempt > 1 ? "-" + attempt : "");
        if (ext.length() > 64) {
            stem = name;
            ext = "";
        }
        int room = MAX_NAME - suffix.length() - ext.length();
        if (stem.length() > room) {
            int cut = Math.max(1, room);
            if (Character.isHighSurrogate(stem.charAt(cut - 1))) {
                cut--;
            }
            stem = stem.substring(0, cut);
        }
        return stem + suffix + ext;
    }
}
