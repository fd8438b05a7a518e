package org.ciphersync.cli.local;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.ciphersync.cli.CliException;
import org.ciphersync.cli.ExitCode;
import org.ciphersync.core.local.LocalSyncOptions;
import org.ciphersync.core.local.SyncMode;
import org.ciphersync.core.settings.SyncSettings;
import picocli.CommandLine.Option;

/** Session Settings (S7) and plan options shared by the commands that synchronize. */
public final class SyncOptionsMixin {
    /** The presets as typed on the command line. */
    public enum Preset {
        mirror(SyncMode.MIRROR), update(SyncMode.UPDATE), two_way(SyncMode.TWO_WAY);

        final SyncMode mode;

        Preset(SyncMode mode) {
            this.mode = mode;
        }
    }

    @Option(names = "--preset", paramLabel = "mirror|update|two-way", converter = PresetConverter.class,
            description = "mirror: A → others with deletes; update: A → others, no deletes; two-way (default): changes anywhere propagate, conflicts keep both copies")
    Preset preset = Preset.two_way;

    @Option(names = "--rules", paramLabel = "FILE", description = "rules and targeted actions from a JSON file (docs/design.md, \"Rules file\")")
    Path rules;

    @Option(names = "--dry-run", description = "print the plan and change nothing")
    boolean dryRun;

    @Option(names = "--checksum", description = "compare content by fingerprint everywhere (default: only where size or date differ)")
    boolean checksum;

    @Option(names = "--exclude", paramLabel = "GLOB", description = "leave out matching files and folders (repeatable)")
    List<String> excludes = new ArrayList<>();

    @Option(names = "--include", paramLabel = "GLOB", description = "only files matching (repeatable)")
    List<String> includes = new ArrayList<>();

    @Option(names = "--exclude-hidden", description = "leave out names starting with '.'")
    boolean excludeHidden;

    @Option(names = "--match", paramLabel = "path|name", description = "pair items by relative path (default) or by name")
    String match = "path";

    @Option(names = "--case", paramLabel = "auto|sensitive|insensitive", description = "case sensitivity of names (default auto)")
    SyncSettings.CaseSensitivity caseSensitivity = SyncSettings.CaseSensitivity.AUTO;

    @Option(names = "--items", paramLabel = "files|directories|both", description = "what is compared (default both)")
    SyncSettings.ItemKinds items = SyncSettings.ItemKinds.BOTH;

    @Option(names = "--force", description = "skip the safety guards against mass deletes and empty folders")
    boolean force;

    @Option(names = "--max-delete", paramLabel = "PERCENT", description = "refuse plans deleting more than this share of a folder (default 50)")
    int maxDeletePercent = (int) (LocalSyncOptions.DEFAULT_MAX_DELETE_SHARE * 100);

    @Option(names = "--keep-versions", paramLabel = "DAYS", description = "prune versions older than DAYS (default 30; 0 keeps forever)")
    int keepVersionDays = (int) LocalSyncOptions.DEFAULT_RETENTION.toDays();

    @Option(names = "--threads", paramLabel = "N", description = "parallel file writers (default 16; written files are then fsynced in batches)")
    int threads = 16;

    @Option(names = "--verify-writes",
            description = "read every written file back and compare it with what was written (slower; catches write-path faults)")
    boolean verifyWrites;

    @Option(names = "--mtime-window", paramLabel = "SECONDS",
            description = "dates closer than this count as equal (default 0: exact; use 2 for FAT file systems)")
    int mtimeWindowSeconds;

    @Option(names = "--cache-dir", paramLabel = "DIR", hidden = true,
            description = "inventory cache folder (default $XDG_CACHE_HOME/ciphersync/inventory); for tests")
    Path cacheDir;

    static final class PresetConverter implements picocli.CommandLine.ITypeConverter<Preset> {
        @Override
        public Preset convert(String value) {
            try {
                return Preset.valueOf(value.trim().toLowerCase(java.util.Locale.ROOT).replace('-', '_'));
            } catch (IllegalArgumentException e) {
                throw new picocli.CommandLine.TypeConversionException(
                        "unknown preset '" + value + "'; use mirror, update or two-way");
            }
        }
    }

    LocalSyncOptions toOptions(boolean planOnly) throws IOException {
        if (maxDeletePercent < 0 || maxDeletePercent > 100) {
            throw new CliException(ExitCode.USAGE, "--max-delete must be within 0..100, got " + maxDeletePercent);
        }
        if (threads < 1 || threads > 256) {
            throw new CliException(ExitCode.USAGE, "--threads must be within 1..256, got " + threads);
        }
        SyncSettings s = SyncSettings.defaults()
                .withAnalysis(checksum ? SyncSettings.AnalysisMode.CHECKSUM : SyncSettings.AnalysisMode.SMART)
                .withExcludeGlobs(excludes).withIncludeGlobs(includes).withExcludeHidden(excludeHidden)
                .withCaseSensitivity(caseSensitivity).withItems(items)
                .withMatching(switch (match) {
                    case "path" -> SyncSettings.Matching.RELATIVE_PATH;
                    case "name" -> SyncSettings.Matching.NAME;
                    default -> throw new CliException(ExitCode.USAGE, "--match must be 'path' or 'name', got '" + match + "'");
                });
        LocalSyncOptions o = LocalSyncOptions.defaults(preset.mode).withSettings(s).withDryRun(dryRun || planOnly)
                .withForce(force).withMaxDeleteShare(maxDeletePercent / 100.0).withThreads(threads)
                .withVersionsRetention(keepVersionDays == 0 ? null : Duration.ofDays(keepVersionDays));
        if (rules != null) {
            o = o.withRules(LocalCommand.readRules(rules));
        }
        if (mtimeWindowSeconds < 0 || mtimeWindowSeconds > 3600) {
            throw new CliException(ExitCode.USAGE, "--mtime-window must be within 0..3600 seconds, got " + mtimeWindowSeconds);
        }
        o = new LocalSyncOptions(o.settings(), o.mode(), o.rules(), o.targeted(), o.dryRun(), o.force(),
                o.maxDeleteShare(), o.minDeleteItems(), o.versionsRetention(), o.threads(),
                mtimeWindowSeconds * 1_000_000_000L, o.chunker(), cacheDir != null ? cacheDir : o.cacheDir(), verifyWrites);
        return o;
    }
}
