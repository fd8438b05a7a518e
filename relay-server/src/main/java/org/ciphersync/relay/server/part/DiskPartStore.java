package org.ciphersync.relay.server.part;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;
import org.ciphersync.relay.protocol.session.SessionId;

/**
 * Parts as files under {@code <dataDir>/parts/<session id>/<part id>}, with their recipients and the
 * per-session quota in memory. A part is written to a temporary name and renamed when complete, so a
 * download never sees a partial part. Quota is reserved before the first byte is written.
 *
 * <p>While the relay-wide part memory ({@code memoryBytes}) has room, a part is kept in memory instead:
 * recipients fetch a part moments after its upload, so the file was written only to be read back and
 * deleted, and that page-cache copy was most of the relay's CPU time in a transfer. Either way a part
 * becomes visible only once complete, and its memory is given back when it is removed.
 *
 * <p>The embedded relay keeps session state in memory, so parts of a previous run are orphans:
 * the constructor deletes the {@code parts} directory's content.
 */
public final class DiskPartStore implements PartStore {

    private static final Pattern PART_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    private static final class Meta {
        final long length;
        final Set<Integer> pending;
        boolean complete;
        /** The content when the part is kept in memory, else null (on disk). */
        byte[] memory;

        Meta(long length, Set<Integer> pending) {
            this.length = length;
            this.pending = pending;
        }
    }

    private static final class SessionParts {
        long used;
        final Map<String, Meta> parts = new HashMap<>();
    }

    private final Path root;
    private final long maxPartBytes;
    private final long quotaBytes;
    private final ConcurrentHashMap<SessionId, SessionParts> sessions = new ConcurrentHashMap<>();
    private final AtomicLong total = new AtomicLong();
    private final long memoryBytes;
    /** Part memory in use or reserved by uploads under way. */
    private final AtomicLong inMemory = new AtomicLong();

    /** A store that keeps every part on disk. */
    public DiskPartStore(Path dataDir, long maxPartBytes, long quotaBytes) throws IOException {
        this(dataDir, maxPartBytes, quotaBytes, 0);
    }

    /** A store that keeps parts in memory while {@code memoryBytes} (relay-wide) allow, on disk otherwise. */
    public DiskPartStore(Path dataDir, long maxPartBytes, long quotaBytes, long memoryBytes) throws IOException {
        if (memoryBytes < 0) {
            throw new IllegalArgumentException("memoryBytes " + memoryBytes + " must not be negative");
        }
        this.root = dataDir.resolve("parts");
        this.maxPartBytes = maxPartBytes;
        this.quotaBytes = quotaBytes;
        this.memoryBytes = memoryBytes;
        if (Files.isDirectory(root)) {
            deleteTree(root, false);
        }
        Files.createDirectories(root);
    }

    /** Whether {@code partId} is a valid part id. */
    public static boolean validPartId(String partId) {
        return partId != null && PART_ID.matcher(partId).matches();
    }

    @Override
    public void put(SessionId session, String partId, int uploader, Set<Integer> recipients, long length, Content body)
            throws PartException, IOException {
        if (!validPartId(partId)) {
            throw new PartException(PartException.Reason.INVALID, "part id must be 1..64 characters of A-Z a-z 0-9 _ -");
        }
        if (recipients.isEmpty()) {
            throw new PartException(PartException.Reason.INVALID, "a part needs at least one recipient");
        }
        if (length < 0) {
            throw new PartException(PartException.Reason.LENGTH_REQUIRED, "the upload must declare its length (Content-Length)");
        }
        if (length > maxPartBytes) {
            throw new PartException(PartException.Reason.TOO_LARGE, "part of " + length + " bytes exceeds the limit of " + maxPartBytes);
        }
        SessionParts sp = sessions.computeIfAbsent(session, k -> new SessionParts());
        synchronized (sp) {
            if (sp.parts.containsKey(partId)) {
                throw new PartException(PartException.Reason.EXISTS, "part " + partId + " was already uploaded in this session");
            }
            if (sp.used + length > quotaBytes) {
                throw new PartException(PartException.Reason.QUOTA_EXCEEDED, "session storage quota of " + quotaBytes
                        + " bytes would be exceeded (" + sp.used + " in use); wait until recipients have fetched earlier parts");
            }
            sp.used += length;
            total.addAndGet(length);
            sp.parts.put(partId, new Meta(length, new HashSet<>(recipients)));
        }
        if (reserveMemory(length)) {
            putInMemory(session, sp, partId, length, body);
            return;
        }
        Path dir = root.resolve(session.toString());
        Path tmp = null;
        boolean ok = false;
        try {
            Files.createDirectories(dir);
            tmp = Files.createTempFile(dir, "." + partId, ".tmp");
            long copied = 0;
            byte[] buf = new byte[(int) Math.min(256 << 10, length + 1)];
            try (InputStream content = body.open(); OutputStream out = Files.newOutputStream(tmp)) {
                int n;
                // whole buffers (or the rest): a few hundred disk writes per part, not one per network read
                while ((n = content.readNBytes(buf, 0, (int) Math.min(buf.length, length - copied + 1))) > 0) {
                    copied += n;
                    if (copied > length) {
                        throw wrongLength(copied, length);
                    }
                    out.write(buf, 0, n);
                }
            }
            if (copied != length) {
                throw wrongLength(copied, length);
            }
            Files.move(tmp, dir.resolve(partId), StandardCopyOption.ATOMIC_MOVE);
            synchronized (sp) {
                Meta m = sp.parts.get(partId);
                if (m == null) {
                    // session deleted meanwhile
                    Files.deleteIfExists(dir.resolve(partId));
                    throw new PartException(PartException.Reason.NOT_FOUND, "the session ended during the upload");
                }
                m.complete = true;
                if (m.pending.isEmpty()) {
                    remove(session, sp, partId);
                }
            }
            ok = true;
        } finally {
            if (tmp != null) {
                Files.deleteIfExists(tmp);
            }
            if (!ok) {
                releaseIncomplete(sp, partId);
            }
        }
    }

    private static PartException wrongLength(long got, long length) {
        return new PartException(PartException.Reason.INVALID, got > length ? "upload is longer than its declared " + length + " bytes"
                : "upload ended after " + got + " of " + length + " bytes");
    }

    /** Gives back the quota of an upload that failed (nothing of it became visible). */
    private void releaseIncomplete(SessionParts sp, String partId) {
        synchronized (sp) {
            Meta m = sp.parts.get(partId);
            if (m != null && !m.complete) {
                sp.parts.remove(partId);
                sp.used -= m.length;
                total.addAndGet(-m.length);
            }
        }
    }

    private boolean reserveMemory(long length) {
        while (true) {
            long used = inMemory.get();
            if (used + length > memoryBytes) {
                return false;
            }
            if (inMemory.compareAndSet(used, used + length)) {
                return true;
            }
        }
    }

    /** Reads the part into memory (the reservation is given back if that fails) and completes it. */
    private void putInMemory(SessionId session, SessionParts sp, String partId, long length, Content body)
            throws PartException, IOException {
        boolean kept = false;
        try {
            byte[] data = new byte[(int) length];
            long got;
            try (InputStream content = body.open()) {
                got = content.readNBytes(data, 0, data.length);
                if (got == length && content.read() >= 0) {
                    got++;
                }
            }
            if (got != length) {
                throw wrongLength(got, length);
            }
            synchronized (sp) {
                Meta m = sp.parts.get(partId);
                if (m == null) {
                    throw new PartException(PartException.Reason.NOT_FOUND, "the session ended during the upload");
                }
                m.memory = data;
                m.complete = true;
                kept = true;
                if (m.pending.isEmpty()) {
                    remove(session, sp, partId);
                }
            }
        } finally {
            if (!kept) {
                inMemory.addAndGet(-length);
                releaseIncomplete(sp, partId);
            }
        }
    }

    @Override
    public OpenPart open(SessionId session, String partId, int recipient) throws PartException, IOException {
        SessionParts sp = sessions.get(session);
        PartException notFound = new PartException(PartException.Reason.NOT_FOUND, "no part " + partId + " waiting for you in this session");
        if (sp == null || !validPartId(partId)) {
            throw notFound;
        }
        synchronized (sp) {
            Meta m = sp.parts.get(partId);
            if (m == null || !m.complete || !m.pending.contains(recipient)) {
                throw notFound;
            }
            if (m.memory != null) {
                return new OpenPart(m.length, new java.io.ByteArrayInputStream(m.memory));
            }
            try {
                return new OpenPart(m.length, Files.newInputStream(root.resolve(session.toString()).resolve(partId)));
            } catch (NoSuchFileException e) {
                throw notFound;
            }
        }
    }

    @Override
    public void fetched(SessionId session, String partId, int recipient) {
        SessionParts sp = sessions.get(session);
        if (sp == null) {
            return;
        }
        synchronized (sp) {
            Meta m = sp.parts.get(partId);
            if (m != null && m.pending.remove(recipient) && m.pending.isEmpty() && m.complete) {
                remove(session, sp, partId);
            }
        }
    }

    @Override
    public void forgetRecipient(SessionId session, int memberId) {
        SessionParts sp = sessions.get(session);
        if (sp == null) {
            return;
        }
        synchronized (sp) {
            for (Iterator<Map.Entry<String, Meta>> it = Map.copyOf(sp.parts).entrySet().iterator(); it.hasNext(); ) {
                Map.Entry<String, Meta> e = it.next();
                if (e.getValue().pending.remove(memberId) && e.getValue().pending.isEmpty() && e.getValue().complete) {
                    remove(session, sp, e.getKey());
                }
            }
        }
    }

    private void remove(SessionId session, SessionParts sp, String partId) {
        Meta m = sp.parts.remove(partId);
        if (m != null) {
            sp.used -= m.length;
            total.addAndGet(-m.length);
            if (m.memory != null) {
                m.memory = null;
                inMemory.addAndGet(-m.length);
                return;
            }
        }
        try {
            Files.deleteIfExists(root.resolve(session.toString()).resolve(partId));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete a fetched part in " + root + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void deleteSession(SessionId session) {
        SessionParts sp = sessions.remove(session);
        if (sp != null) {
            synchronized (sp) {
                total.addAndGet(-sp.used);
                sp.used = 0;
                for (Meta m : sp.parts.values()) {
                    if (m.memory != null) {
                        m.memory = null;
                        inMemory.addAndGet(-m.length);
                    }
                }
                sp.parts.clear();
            }
        }
        Path dir = root.resolve(session.toString());
        try {
            if (Files.isDirectory(dir)) {
                deleteTree(dir, true);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the parts of an ended session under " + root + ": " + e.getMessage(), e);
        }
    }

    @Override
    public long usedBytes(SessionId session) {
        SessionParts sp = sessions.get(session);
        if (sp == null) {
            return 0;
        }
        synchronized (sp) {
            return sp.used;
        }
    }

    /** Bytes of parts held in memory now (or reserved by uploads under way). */
    public long memoryBytesInUse() {
        return inMemory.get();
    }

    @Override
    public long totalBytes() {
        return total.get();
    }

    @Override
    public int partCount() {
        int n = 0;
        for (SessionParts sp : sessions.values()) {
            synchronized (sp) {
                n += sp.parts.size();
            }
        }
        return n;
    }

    private static void deleteTree(Path dir, boolean includingDir) throws IOException {
        Files.walkFileTree(dir, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException exc) throws IOException {
                if (includingDir || !d.equals(dir)) {
                    Files.deleteIfExists(d);
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
