package org.ciphersync.vault.format;

import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.ciphersync.vault.chain.ComputerId;
import org.ciphersync.vault.store.BlobName;
import org.ciphersync.vault.store.BlobType;

/**
 * The names the format gives objects on the store (docs/design.md (Vault) §2). Every name a computer
 * writes contains its id; content-addressed names also contain the hash of the stored bytes.
 * Parsers return null for names that do not match, so foreign files in a listing are ignored.
 */
public final class ObjectNames {
    /** The one config object. */
    public static final BlobName CONFIG = BlobName.of(BlobType.CONFIG, "vault");

    private static final Pattern SNAPSHOT = Pattern.compile("([0-9a-f]{32})\\.([0-9a-f]{32})\\.([0-9]{10})");
    private static final Pattern INDEX = Pattern.compile("([0-9a-f]{32})\\.([0-9a-f]{64})");
    private static final Pattern CHECKPOINT = Pattern.compile("([0-9a-f]{32})\\.([0-9a-f]{32})\\.([0-9a-f]{64})");
    private static final Pattern PACK = Pattern.compile("([0-9a-f]{64})([0-9a-f]{32})");
    private static final Pattern HEX32 = Pattern.compile("[0-9a-f]{32}");
    private static final Pattern SLOT = Pattern.compile("[0-9a-f]{16}");

    private ObjectNames() {
    }

    /** A commit's place: writer, namespace tag, sequence. */
    public record SnapshotRef(ComputerId computer, String nsTag, long seq) {
        public BlobName name() {
            return snapshot(computer, nsTag, seq);
        }
    }

    public static BlobName snapshot(ComputerId c, String nsTag, long seq) {
        if (seq < 1 || seq > 9_999_999_999L) {
            throw new IllegalArgumentException("sequence " + seq + " outside 1..9999999999");
        }
        return BlobName.of(BlobType.SNAPSHOT, c.hex() + "." + nsTag + "." + String.format("%010d", seq));
    }

    public static SnapshotRef parseSnapshot(BlobName n) {
        if (n.type() != BlobType.SNAPSHOT) {
            return null;
        }
        Matcher m = SNAPSHOT.matcher(n.name());
        if (!m.matches()) {
            return null;
        }
        long seq = Long.parseLong(m.group(3));
        return seq < 1 ? null : new SnapshotRef(ComputerId.of(m.group(1)), m.group(2), seq);
    }

    public static BlobName index(ComputerId c, String sha256Hex) {
        return BlobName.of(BlobType.INDEX, c.hex() + "." + sha256Hex);
    }

    /** The hash part of an index name, or null when the name is not an index name. */
    public static String indexHash(BlobName n) {
        Matcher m = n.type() == BlobType.INDEX ? INDEX.matcher(n.name()) : null;
        return m != null && m.matches() ? m.group(2) : null;
    }

    public static ComputerId indexWriter(BlobName n) {
        Matcher m = n.type() == BlobType.INDEX ? INDEX.matcher(n.name()) : null;
        return m != null && m.matches() ? ComputerId.of(m.group(1)) : null;
    }

    /**
     * A checkpoint index object's place: writer, namespace tag, hash of its stored bytes. Same
     * folder and content as an index object; the namespace tag tells prune and the writer's next
     * up-sync which namespace it belongs to without opening it.
     */
    public record CheckpointRef(ComputerId computer, String nsTag, String hash) {
        public BlobName name() {
            return checkpoint(computer, nsTag, hash);
        }
    }

    public static BlobName checkpoint(ComputerId c, String nsTag, String sha256Hex) {
        return BlobName.of(BlobType.INDEX, c.hex() + "." + nsTag + "." + sha256Hex);
    }

    /** The parts of a checkpoint name, or null when {@code n} is not one. */
    public static CheckpointRef parseCheckpoint(BlobName n) {
        Matcher m = n.type() == BlobType.INDEX ? CHECKPOINT.matcher(n.name()) : null;
        return m != null && m.matches() ? new CheckpointRef(ComputerId.of(m.group(1)), m.group(2), m.group(3)) : null;
    }

    public static BlobName pack(String sha256Hex, ComputerId c) {
        return BlobName.of(BlobType.PACK, sha256Hex + c.hex());
    }

    /** The hash part of a pack name, or null. */
    public static String packHash(BlobName n) {
        Matcher m = n.type() == BlobType.PACK ? PACK.matcher(n.name()) : null;
        return m != null && m.matches() ? m.group(1) : null;
    }

    public static BlobName computer(ComputerId c) {
        return BlobName.of(BlobType.LOG, c.hex());
    }

    public static ComputerId parseComputer(BlobName n) {
        return n.type() == BlobType.LOG && HEX32.matcher(n.name()).matches() ? ComputerId.of(n.name()) : null;
    }

    public static BlobName keySlot(String slotId) {
        Objects.requireNonNull(slotId, "slotId == null");
        return BlobName.of(BlobType.KEY, slotId);
    }

    public static boolean isKeySlot(BlobName n) {
        return n.type() == BlobType.KEY && SLOT.matcher(n.name()).matches();
    }

    public static BlobName pruneLease(ComputerId c) {
        return BlobName.of(BlobType.LEASE, "prune." + c.hex());
    }

    public static BlobName ack(ComputerId c, ComputerId pruner) {
        return BlobName.of(BlobType.LEASE, "ack." + c.hex() + "." + pruner.hex());
    }
}
