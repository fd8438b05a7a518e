package org.ciphersync.crypto.aead;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * Where a ciphertext belongs: it becomes the associated data of every AES-GCM call, so a
 * ciphertext moved to another vault, session, namespace, object or index fails to open. The
 * reader MUST rebuild the context from where it reads, never from the ciphertext itself.
 *
 * <p>Encoding ({@link #encode()}): {@code "cs-aad1" ‖ domain u8 ‖ lp16(scopeId) ‖ lp16(namespace)
 * ‖ lp16(purpose) ‖ lp16(objectId) ‖ index u64}, strings in UTF-8. Immutable.
 */
public final class AeadContext {
    /** What kind of place the scope id names. */
    public enum Domain {
        VAULT(1), SESSION(2), LOCAL(3);

        final int code;

        Domain(int code) {
            this.code = code;
        }
    }

    public static final int MAX_SCOPE_ID = 256;
    public static final int MAX_NAMESPACE = 64;
    public static final int MAX_PURPOSE = 64;
    public static final int MAX_OBJECT_ID = 1024;
    private static final byte[] MAGIC = "cs-aad1".getBytes(StandardCharsets.US_ASCII);

    private final Domain domain;
    private final String scopeId;
    private final String namespace;
    private final String purpose;
    private final byte[] objectId;
    private final long index;
    private final byte[] encoded;

    private AeadContext(Domain domain, String scopeId, String namespace, String purpose, byte[] objectId, long index) {
        this.domain = Objects.requireNonNull(domain, "domain == null");
        this.scopeId = Objects.requireNonNull(scopeId, "scopeId == null");
        this.namespace = Objects.requireNonNull(namespace, "namespace == null");
        this.purpose = Objects.requireNonNull(purpose, "purpose == null");
        this.objectId = Objects.requireNonNull(objectId, "objectId == null").clone();
        this.index = index;
        if (index < 0) {
            throw new IllegalArgumentException("index " + index + " is negative");
        }
        if (purpose.isEmpty()) {
            throw new IllegalArgumentException("purpose is empty");
        }
        byte[] s = utf8(scopeId, MAX_SCOPE_ID, "scopeId");
        byte[] n = utf8(namespace, MAX_NAMESPACE, "namespace");
        byte[] p = utf8(purpose, MAX_PURPOSE, "purpose");
        if (this.objectId.length > MAX_OBJECT_ID) {
            throw new IllegalArgumentException("objectId length " + this.objectId.length + " exceeds " + MAX_OBJECT_ID);
        }
        byte[] e = new byte[MAGIC.length + 1 + 8 + s.length + n.length + p.length + this.objectId.length + 8];
        int o = 0;
        System.arraycopy(MAGIC, 0, e, o, MAGIC.length);
        o += MAGIC.length;
        e[o++] = (byte) domain.code;
        o = putLp16(e, o, s);
        o = putLp16(e, o, n);
        o = putLp16(e, o, p);
        o = putLp16(e, o, this.objectId);
        for (int i = 7; i >= 0; i--) {
            e[o++] = (byte) (index >>> (8 * i));
        }
        this.encoded = e;
    }

    /** An object of a vault namespace (chunk, index blob, snapshot, …); {@code index} e.g. a chunk's position, else 0. */
    public static AeadContext vault(String vaultId, String namespace, String purpose, byte[] objectId, long index) {
        return new AeadContext(Domain.VAULT, vaultId, namespace, purpose, objectId, index);
    }

    /** A session object or frame (file, chunk, control message); namespace is empty. */
    public static AeadContext session(String sessionId, String purpose, byte[] objectId, long index) {
        return new AeadContext(Domain.SESSION, sessionId, "", purpose, objectId, index);
    }

    /** A local file of this installation (identity file, local state). */
    public static AeadContext local(String scopeId, String purpose) {
        return local(scopeId, purpose, new byte[0]);
    }

    /** A local object of this installation, bound to {@code objectId} (e.g. the file's own header). */
    public static AeadContext local(String scopeId, String purpose, byte[] objectId) {
        return new AeadContext(Domain.LOCAL, scopeId, "", purpose, objectId, 0);
    }

    /** The same context with another index (e.g. the next chunk of a file). */
    public AeadContext withIndex(long newIndex) {
        return new AeadContext(domain, scopeId, namespace, purpose, objectId, newIndex);
    }

    public Domain domain() {
        return domain;
    }

    public String scopeId() {
        return scopeId;
    }

    public String namespace() {
        return namespace;
    }

    public String purpose() {
        return purpose;
    }

    public byte[] objectId() {
        return objectId.clone();
    }

    public long index() {
        return index;
    }

    /** The associated-data bytes (a copy). */
    public byte[] encode() {
        return encoded.clone();
    }

    byte[] encodedNoCopy() {
        return encoded;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof AeadContext c && Arrays.equals(c.encoded, encoded);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(encoded);
    }

    @Override
    public String toString() {
        return "AeadContext[" + domain + " " + scopeId + (namespace.isEmpty() ? "" : "/" + namespace) + " " + purpose
                + " object=" + objectId.length + " bytes index=" + index + "]";
    }

    private static byte[] utf8(String s, int max, String what) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length > max) {
            throw new IllegalArgumentException(what + " is " + b.length + " bytes in UTF-8, more than " + max);
        }
        return b;
    }

    private static int putLp16(byte[] e, int o, byte[] v) {
        e[o] = (byte) (v.length >>> 8);
        e[o + 1] = (byte) v.length;
        System.arraycopy(v, 0, e, o + 2, v.length);
        return o + 2 + v.length;
    }
}
