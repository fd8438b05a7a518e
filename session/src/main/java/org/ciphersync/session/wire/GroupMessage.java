package org.ciphersync.session.wire;

import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.ciphersync.crypto.identity.IdentityPublicKeys;
import org.ciphersync.relay.protocol.message.Message;
import org.ciphersync.session.member.SourceEntry;

/**
 * What members say to each other inside the group channel (plaintext of one sealed group frame).
 * Encoded by {@link GroupMessageCodec}.
 */
public sealed interface GroupMessage {

    /**
     * The sponsor of a join tells everybody the identity it authenticated with the PAKE. Members
     * learn joiners' identity keys only this way, never from the relay's member list.
     */
    record Announce(int memberId, IdentityPublicKeys keys) implements GroupMessage {
        public Announce {
            if (memberId <= 0) {
                throw new IllegalArgumentException("member id " + memberId + " is not positive");
            }
            Objects.requireNonNull(keys, "keys == null");
        }
    }

    /** The sender's own data sources (complete list; replaces the previous one). */
    record MemberState(List<SourceEntry> sources) implements GroupMessage {
        public MemberState {
            sources = List.copyOf(sources);
            if (sources.size() > SourceEntry.MAX_PER_MEMBER) {
                throw new IllegalArgumentException("source count " + sources.size() + " exceeds " + SourceEntry.MAX_PER_MEMBER);
            }
        }
    }

    /**
     * "I may have missed frames (my connection was lost): please send your state again." Every member
     * answers with its {@link MemberState}; the leader also repeats the settings.
     */
    record SyncRequest() implements GroupMessage {
    }

    /**
     * The sender's inventories of run {@code runId} are on the relay as part {@code partId}, sealed
     * under the group key of {@code epoch} ({@code partId} empty: the sender has no sources).
     */
    record InventoryReady(long runId, long epoch, String partId) implements GroupMessage {
        public InventoryReady {
            if (!partId.matches("[A-Za-z0-9_-]{0,64}")) {
                throw new IllegalArgumentException("part id '" + partId + "' is not 0..64 of [A-Za-z0-9_-]");
            }
        }
    }

    /**
     * One page of the source member's chunk list of the current content of {@code path} on its node
     * {@code sourceNode} (lengths and SHA-256 hashes, as core's {@code Fingerprint}), so each target
     * can say which chunks it lacks: chunks {@code firstChunk} … {@code firstChunk + lengths.length - 1}
     * of {@code totalChunks}. A file's pages are sent in order, each bound to the run, node, path, file
     * hash and total; the target assembles them ({@code ManifestAssembler}) and refuses any other
     * sequence. Only the members in {@code targets} answer it (a manifest sent again for a member that
     * took over a run is not answered twice by the others).
     */
    record Manifest(long runId, String sourceNode, String path, byte[] fileHash, int totalChunks, int firstChunk, int[] lengths,
                    byte[] hashes, List<Integer> targets) implements GroupMessage {
        /** Most chunks in one page (720 kB of lengths and hashes: one relay frame carries it). */
        public static final int MAX_PAGE = 20_000;
        /**
         * Most chunks of one file: 4 Mi, so every file up to 64 GiB fits (chunks other than the last are at
         * least the sync chunker's 16 KiB); 151 MB of lengths and hashes at most.
         */
        public static final int MAX_CHUNKS = 4 << 20;

        public Manifest {
            int n = lengths.length;
            if (fileHash.length != 32 || n > MAX_PAGE || hashes.length != 32 * n || totalChunks < 0 || totalChunks > MAX_CHUNKS
                    || firstChunk < 0 || (long) firstChunk + n > totalChunks || (n == 0) != (totalChunks == 0)) {
                throw new IllegalArgumentException("manifest page of " + path + " is malformed");
            }
            targets = members(targets, "manifest of " + path);
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

        /** Whether this page ends the file's chunk list. */
        public boolean last() {
            return firstChunk + lengths.length == totalChunks;
        }

        @Override
        public String toString() {
            return "Manifest[" + sourceNode + ":" + path + ", chunks " + firstChunk + "+" + lengths.length + " of " + totalChunks + "]";
        }
    }

    /** A target's answer to a manifest: bit i set = it lacks chunk i and needs it sent. */
    record Need(long runId, String sourceNode, String path, int chunkCount, byte[] bitmap) implements GroupMessage {
        public Need {
            if (chunkCount < 0 || chunkCount > Manifest.MAX_CHUNKS || bitmap.length != (chunkCount + 7) / 8) {
                throw new IllegalArgumentException("need list of " + path + " is malformed");
            }
            bitmap = bitmap.clone();
        }

        @Override
        public byte[] bitmap() {
            return bitmap.clone();
        }

        public boolean needs(int i) {
            return (bitmap[i >>> 3] & (1 << (i & 7))) != 0;
        }

        @Override
        public String toString() {
            return "Need[" + sourceNode + ":" + path + "]";
        }
    }

    /** Where a part is and whom it is for. */
    record PartRef(String partId, java.util.List<Integer> recipients) {
        public PartRef {
            if (!partId.matches("[A-Za-z0-9_-]{1,64}")) {
                throw new IllegalArgumentException("part id '" + partId + "' is not 1..64 of [A-Za-z0-9_-]");
            }
            recipients = java.util.List.copyOf(recipients);
            if (recipients.isEmpty() || recipients.size() > 8) {
                throw new IllegalArgumentException("a part needs 1..8 recipients");
            }
        }
    }

    /**
     * The chunks the targets of {@code path} lack are on the relay in these parts, sealed under the group key
     * of {@code epoch}; or, when {@code unavailable} is not empty, the source cannot send it (and says why).
     * It answers the members in {@code answers} (their NEEDs, or the manifest they waited for); the others
     * ignore it.
     */
    record Parts(long runId, long epoch, String sourceNode, String path, java.util.List<PartRef> parts, String unavailable,
                 List<Integer> answers) implements GroupMessage {
        /** Most parts of one file. */
        public static final int MAX_PARTS = 4096;

        public Parts {
            parts = java.util.List.copyOf(parts);
            if (parts.size() > MAX_PARTS) {
                throw new IllegalArgumentException("part list of " + path + " is too long");
            }
            answers = members(answers, "parts of " + path);
        }
    }

    /**
     * Part {@code part} is on the relay, sealed under the group key of {@code epoch}: its recipients may fetch
     * it now, before the PARTS of the files it carries (a large file's parts are fetched while its source
     * still uploads the later ones). Only a head start: the PARTS of a file still lists every part it needs,
     * and the chunks of a part are taken only for files whose manifest the target holds, from nodes the
     * sender owns.
     */
    record Uploaded(long runId, long epoch, PartRef part) implements GroupMessage {
        public Uploaded {
            java.util.Objects.requireNonNull(part, "part == null");
        }
    }

    /** One item that failed on the reporting member, and why (for the person and for the two-way state). */
    record ItemFailure(String node, String path, String reason) {
        /** Longest reason carried. */
        public static final int MAX_REASON = 300;

        public ItemFailure {
            Objects.requireNonNull(node, "node == null");
            Objects.requireNonNull(path, "path == null");
            reason = reason == null ? "" : reason.length() > MAX_REASON ? reason.substring(0, MAX_REASON) : reason;
        }
    }


    /** The sender's Data Inventory of run {@code runId} failed; {@code message} says why (shown to everyone). */
    record InventoryFailed(long runId, String message) implements GroupMessage {
    }

    /**
     * The sender finished its part of synchronization run {@code runId}: how many items succeeded and
     * failed, and which failed and why ({@code complete} false: more failed than the message lists).
     */
    record SyncDone(long runId, int succeeded, int failed, List<ItemFailure> failures, boolean complete) implements GroupMessage {
        /** Most failures listed in one message. */
        public static final int MAX_FAILURES = 1000;

        public SyncDone {
            failures = List.copyOf(failures);
            if (failures.size() > MAX_FAILURES) {
                throw new IllegalArgumentException(failures.size() + " failures exceed " + MAX_FAILURES);
            }
        }

        public SyncDone(long runId, int succeeded, int failed) {
            this(runId, succeeded, failed, List.of(), failed == 0);
        }
    }

    /**
     * The leader hands the part of a member that vanished during run {@code runId} (its process died)
     * to a member that rejoined with the same identity. Everybody moves {@code oldMember}'s nodes to
     * {@code newMember}; the new member rebuilds the run from what the message carries:
     *
     * @param order          the leader's START_SYNCHRONIZATION order as it was signed (key epoch, sequence,
     *                       body, signature), so the new member verifies it like the others did
     * @param inventoryEpoch key epoch of the sealed part {@code inventoryPart}: every member's inventory of
     *                       the run, nodes in comparison order
     * @param owners         node id → member id after the takeover, in comparison order
     * @param oldSources     the sources the old member had, which the new one must have too
     * @param results        members that already reported their result (member id, done, failed)
     */
    record Takeover(long runId, int oldMember, int newMember, SignedOrder order, long inventoryEpoch, String inventoryPart,
                    List<NodeOwner> owners, List<SourceEntry> oldSources, List<Result> results) implements GroupMessage {
        public Takeover {
            if (oldMember <= 0 || newMember <= 0 || oldMember == newMember) {
                throw new IllegalArgumentException("a takeover needs two different members, not " + oldMember + " → " + newMember);
            }
            Objects.requireNonNull(order, "order == null");
            if (!inventoryPart.matches("[A-Za-z0-9_-]{1,64}")) {
                throw new IllegalArgumentException("part id '" + inventoryPart + "' is not 1..64 of [A-Za-z0-9_-]");
            }
            owners = List.copyOf(owners);
            oldSources = List.copyOf(oldSources);
            results = List.copyOf(results);
            if (owners.isEmpty() || owners.size() > 5 || oldSources.size() > SourceEntry.MAX_PER_MEMBER || results.size() > 8) {
                throw new IllegalArgumentException("takeover lists are out of bounds");
            }
        }
    }

    /** A leader order as it was signed (key epoch and sequence of its frame), to be verified again later by a member that did not receive it. */
    record SignedOrder(long epoch, long sequence, LeaderOrder order) {
        public SignedOrder {
            Objects.requireNonNull(order, "order == null");
        }
    }

    /** Which member holds a node of the run. */
    record NodeOwner(String nodeId, int memberId) {
    }

    /** One member's reported result. */
    record Result(int memberId, int succeeded, int failed) {
    }

    /**
     * The sender (a member that took over a run) is ready: the sources send it the manifests of the files it
     * needs again.
     */
    record Ready(long runId) implements GroupMessage {
    }

    /**
     * Several run messages (MANIFEST pages, NEEDs, PARTS, UPLOADED) in one group frame, handled in order as if
     * they had come one by one: a tree of small files costs a few frames, not three per file.
     */
    record Bundle(List<GroupMessage> messages) implements GroupMessage {
        /** Messages per bundle at most. */
        public static final int MAX_MESSAGES = 65_535;

        public Bundle {
            messages = List.copyOf(messages);
            if (messages.isEmpty() || messages.size() > MAX_MESSAGES) {
                throw new IllegalArgumentException("a bundle carries 1.." + MAX_MESSAGES + " messages, not " + messages.size());
            }
            for (GroupMessage m : messages) {
                if (!bundles(m)) {
                    throw new IllegalArgumentException(m.getClass().getSimpleName() + " does not travel in a bundle");
                }
            }
        }

        /** Whether {@code m} may travel in a bundle. */
        public static boolean bundles(GroupMessage m) {
            return m instanceof Manifest || m instanceof Need || m instanceof Parts || m instanceof Uploaded;
        }
    }

    private static List<Integer> members(List<Integer> ids, String what) {
        List<Integer> copy = List.copyOf(ids);
        if (copy.size() > 8 || copy.stream().anyMatch(i -> i <= 0) || copy.stream().distinct().count() != copy.size()) {
            throw new IllegalArgumentException(what + ": member list " + copy + " is not 0..8 distinct positive ids");
        }
        return copy;
    }

    /**
     * A leader-only order, signed with the leader's identity key over the session, key epoch,
     * sender, sequence number, kind and body (see {@code LeaderSignature}).
     */
    record LeaderOrder(Message.LeaderCommand.Kind kind, byte[] body, byte[] signature) implements GroupMessage {
        /** Largest order body. */
        public static final int MAX_BODY = 60 * 1024;

        public LeaderOrder {
            Objects.requireNonNull(kind, "kind == null");
            if (body.length > MAX_BODY) {
                throw new IllegalArgumentException("order body of " + body.length + " bytes exceeds " + MAX_BODY);
            }
            if (signature.length != 64) {
                throw new IllegalArgumentException("signature is " + signature.length + " bytes, expected 64");
            }
            body = body.clone();
            signature = signature.clone();
        }

        @Override
        public byte[] body() {
            return body.clone();
        }

        @Override
        public byte[] signature() {
            return signature.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof LeaderOrder l && kind == l.kind && Arrays.equals(body, l.body) && Arrays.equals(signature, l.signature);
        }

        @Override
        public int hashCode() {
            return kind.hashCode() * 31 + Arrays.hashCode(body);
        }

        @Override
        public String toString() {
            return "LeaderOrder[" + kind + ", " + body.length + " bytes]";
        }
    }
}
