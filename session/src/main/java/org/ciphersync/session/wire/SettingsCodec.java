package org.ciphersync.session.wire;

import java.util.ArrayList;
import java.util.List;
import org.ciphersync.core.settings.SyncSettings;

/**
 * Byte layout of Session Settings (S7) in a SETTINGS order and in the join bundle:
 *
 * <pre>
 * u8 items (0 files, 1 directories, 2 both) ‖ u8 matching (0 path, 1 name)
 * ‖ u8 case (0 auto, 1 sensitive, 2 insensitive) ‖ u8 analysis (0 smart, 1 checksum)
 * ‖ u8 flags (bit 0 exclude hidden, bit 1 exclude system files)
 * ‖ u8 n ‖ n × text include glob ‖ u8 m ‖ m × text exclude glob      (≤ 32 globs, ≤ 256 B each)
 * ‖ text ignore-file name (empty = none, ≤ 255 B)
 * </pre>
 */
public final class SettingsCodec {
    public static final int MAX_GLOBS = 32;
    public static final int MAX_GLOB_BYTES = 256;

    private SettingsCodec() {
    }

    public static void write(WireWriter w, SyncSettings s) {
        if (s.includeGlobs().size() > MAX_GLOBS || s.excludeGlobs().size() > MAX_GLOBS) {
            throw new IllegalArgumentException("at most " + MAX_GLOBS + " include and " + MAX_GLOBS + " exclude patterns");
        }
        w.u8(s.items().ordinal()).u8(s.matching().ordinal()).u8(s.caseSensitivity().ordinal()).u8(s.analysis().ordinal())
                .u8((s.excludeHidden() ? 1 : 0) | (s.excludeSystemFiles() ? 2 : 0));
        w.u8(s.includeGlobs().size());
        s.includeGlobs().forEach(w::text);
        w.u8(s.excludeGlobs().size());
        s.excludeGlobs().forEach(w::text);
        w.text(s.ignoreFileName() == null ? "" : s.ignoreFileName());
    }

    public static byte[] encode(SyncSettings s) {
        WireWriter w = new WireWriter();
        write(w, s);
        return w.toByteArray();
    }

    public static SyncSettings read(WireReader r) throws WireException {
        SyncSettings.ItemKinds items = pick(SyncSettings.ItemKinds.values(), r.u8("items"), "items");
        SyncSettings.Matching matching = pick(SyncSettings.Matching.values(), r.u8("matching"), "matching");
        SyncSettings.CaseSensitivity cs = pick(SyncSettings.CaseSensitivity.values(), r.u8("case sensitivity"), "case sensitivity");
        SyncSettings.AnalysisMode analysis = pick(SyncSettings.AnalysisMode.values(), r.u8("analysis"), "analysis");
        int flags = r.u8("flags");
        if ((flags & ~3) != 0) {
            throw new WireException("settings flags " + flags + " has unknown bits");
        }
        List<String> include = globs(r, "include");
        List<String> exclude = globs(r, "exclude");
        String ignore = r.text("ignore file name", 255);
        return new SyncSettings(items, matching, cs, analysis, (flags & 1) != 0, (flags & 2) != 0, include, exclude,
                ignore.isEmpty() ? null : ignore);
    }

    public static SyncSettings decode(byte[] data) throws WireException {
        WireReader r = new WireReader(data);
        SyncSettings s = read(r);
        r.end("settings");
        return s;
    }

    private static List<String> globs(WireReader r, String which) throws WireException {
        int n = r.u8(which + " pattern count");
        if (n > MAX_GLOBS) {
            throw new WireException(which + " pattern count " + n + " exceeds " + MAX_GLOBS);
        }
        List<String> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(r.text(which + " pattern " + i, MAX_GLOB_BYTES));
        }
        return out;
    }

    private static <E> E pick(E[] values, int code, String field) throws WireException {
        if (code >= values.length) {
            throw new WireException(field + " code " + code + " is unknown");
        }
        return values[code];
    }
}
