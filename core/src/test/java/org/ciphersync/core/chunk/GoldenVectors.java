package org.ciphersync.core.chunk;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.ciphersync.core.inventory.Fingerprint;

/**
 * The golden-vector input and its rendering. Input: {@link #INPUT_LENGTH} bytes from
 * {@link SplitMix64} seeded with {@link #INPUT_SEED}, little-endian per 64-bit value. Rendering:
 * one line per chunk, {@code offset length sha256-hex}, then {@code file <sha256-hex>}.
 *
 * <p>Regenerate (only for a deliberate format change) with
 * {@code java -cp core/target/classes:core/target/test-classes org.ciphersync.core.chunk.GoldenVectors core/src/test/resources/org/ciphersync/core/chunk}.
 */
public final class GoldenVectors {
    public static final long INPUT_SEED = 0x676F6C64656E2D31L; // "golden-1"
    public static final int INPUT_LENGTH = 16 << 20;

    private GoldenVectors() {
    }

    public static byte[] input() {
        byte[] b = new byte[INPUT_LENGTH];
        new SplitMix64(INPUT_SEED).nextBytes(b);
        return b;
    }

    public static List<String> render(Fingerprint fp) {
        List<String> lines = new ArrayList<>();
        HexFormat hex = HexFormat.of();
        long off = 0;
        for (int i = 0; i < fp.chunkCount(); i++) {
            int len = fp.chunkLengths()[i];
            lines.add(off + " " + len + " " + hex.formatHex(fp.chunkHash(i)));
            off += len;
        }
        lines.add("file " + fp.fileHashHex());
        return lines;
    }

    public static String resourceName(String paramsName) {
        return "golden-" + paramsName + ".txt";
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        byte[] in = input();
        write(dir.resolve(resourceName("sync")), Fingerprinter.ofBytes(in, ChunkerParams.SYNC));
        write(dir.resolve(resourceName("vault")), Fingerprinter.ofBytes(in, ChunkerParams.VAULT));
    }

    private static void write(Path file, Fingerprint fp) throws Exception {
        List<String> out = new ArrayList<>();
        out.add("# FastCDC golden vectors: input = " + INPUT_LENGTH + " bytes of SplitMix64(seed 0x"
                + Long.toHexString(INPUT_SEED) + "), little-endian; gear seed 0x"
                + Long.toHexString(FastCdc.GEAR_SEED) + ". Columns: offset length sha256(chunk).");
        out.addAll(render(fp));
        Files.write(file, out, StandardCharsets.UTF_8);
    }
}
