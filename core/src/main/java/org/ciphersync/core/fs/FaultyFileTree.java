package org.ciphersync.core.fs;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.ciphersync.core.path.RelPath;

/**
 * A {@link FileTree} decorator that fails chosen operations with an {@link InjectedFault}, for
 * fault-injection tests of the scan and the apply. Everything else passes through unchanged.
 *
 * <pre>{@code
 * FaultyFileTree faulty = new FaultyFileTree(tree);
 * faulty.inject(Fault.on(Op.RENAME).matching(p -> p.name().startsWith("b")));   // every rename of b*
 * faulty.inject(Fault.on(Op.WRITE).afterBytes(100).times(1));                 // a write cut short once
 * faulty.inject(Fault.on(Op.FSYNC).onCall(3));                                // the 3rd fsync and later
 * }</pre>
 *
 * <p>{@link Op#WRITE} and {@link Op#READ} faults act on channels: a channel opened while such a
 * fault is armed passes {@code afterBytes} bytes (0 by default; the write is cut short, as on a
 * full disk) and then fails every further call; opening itself succeeds. The
 * path a fault matches is the operation's path; for {@link Op#RENAME} either side matches. Thread
 * safe: faults may be added while other threads use the tree. For READ and WRITE, a "call" is
 * the opening of a channel.
 */
public final class FaultyFileTree implements FileTree {

    /** Operations that can be made to fail. */
    public enum Op {
        STAT, LIST, OPEN_READ, READ, CREATE_NEW, OPEN_WRITE, WRITE, FSYNC, FSYNC_DIRECTORY, RENAME, DELETE,
        CREATE_DIRECTORIES, SET_MTIME, SET_POSIX_MODE, READ_LINK
    }

    /** The exception injected faults throw, so tests can tell them from real failures. */
    public static final class InjectedFault extends IOException {
        public InjectedFault(String message) {
            super(message);
        }
    }

    /**
     * One fault: which operation on which paths, from which matching call on, how many times, and
     * (for reads and writes) after how many bytes of a channel.
     *
     * @param op         the operation that fails
     * @param paths      which paths it fails for
     * @param onCall     the first matching call (1-based) that fails
     * @param times      how many times at most it fails
     * @param afterBytes for READ/WRITE: bytes a channel passes before failing; -1 (or 0) fails at
     *                   the first transfer
     */
    public record Fault(Op op, Predicate<RelPath> paths, int onCall, int times, long afterBytes) {
        public Fault {
            Objects.requireNonNull(op, "op == null");
            Objects.requireNonNull(paths, "paths == null");
            if (onCall < 1) {
                throw new IllegalArgumentException("onCall " + onCall + " < 1");
            }
            if (times < 1) {
                throw new IllegalArgumentException("times " + times + " < 1");
            }
        }

        /** Fails every call of {@code op} on any path. */
        public static Fault on(Op op) {
            return new Fault(op, p -> true, 1, Integer.MAX_VALUE, -1);
        }

        public Fault matching(Predicate<RelPath> p) {
            return new Fault(op, p, onCall, times, afterBytes);
        }

        public Fault onCall(int n) {
            return new Fault(op, paths, n, times, afterBytes);
        }

        public Fault times(int n) {
            return new Fault(op, paths, onCall, n, afterBytes);
        }

        public Fault once() {
            return times(1);
        }

        public Fault afterBytes(long n) {
            if (op != Op.READ && op != Op.WRITE) {
                throw new IllegalArgumentException("afterBytes applies to READ and WRITE, not " + op);
            }
            return new Fault(op, paths, onCall, times, n);
        }
    }

    private static final class Armed {
        final Fault fault;
        final AtomicInteger calls = new AtomicInteger();
        final AtomicInteger fired = new AtomicInteger();

        Armed(Fault fault) {
            this.fault = fault;
        }

        /** Counts a matching call and says whether it fails. */
        boolean trigger() {
            int call = calls.incrementAndGet();
            if (call < fault.onCall()) {
                return false;
            }
            while (true) {
                int f = fired.get();
                if (f >= fault.times()) {
                    return false;
                }
                if (fired.compareAndSet(f, f + 1)) {
                    return true;
                }
            }
        }
    }

    private final FileTree delegate;
    private final List<Armed> faults = new CopyOnWriteArrayList<>();
    private final AtomicInteger injected = new AtomicInteger();

    public FaultyFileTree(FileTree delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate == null");
    }

    /** Arms a fault; returns this for chaining. */
    public FaultyFileTree inject(Fault fault) {
        faults.add(new Armed(fault));
        return this;
    }

    /** Disarms every fault (the count of injected failures stays). */
    public void heal() {
        faults.clear();
    }

    /** How many failures were injected so far. */
    public int injectedCount() {
        return injected.get();
    }

    public FileTree delegate() {
        return delegate;
    }

    private void check(Op op, RelPath... paths) throws InjectedFault {
        for (Armed a : faults) {
            if (a.fault.op() == op && matches(a.fault, paths) && a.trigger()) {
                injected.incrementAndGet();
                throw new InjectedFault("injected fault: " + op + " " + String.join(" -> ",
                        java.util.Arrays.stream(paths).map(RelPath::toString).toList()));
            }
        }
    }

    private static boolean matches(Fault f, RelPath[] paths) {
        for (RelPath p : paths) {
            if (f.paths().test(p)) {
                return true;
            }
        }
        return false;
    }

    /** The byte-counted faults for a channel on {@code path}, armed at open time. */
    private Armed byteFault(Op op, RelPath path) {
        for (Armed a : faults) {
            if (a.fault.op() == op && a.fault.paths().test(path) && a.trigger()) {
                return a;
            }
        }
        return null;
    }

    @Override
    public String describe() {
        return delegate.describe();
    }

    @Override
    public boolean caseSensitive() {
        return delegate.caseSensitive();
    }

    @Override
    public Optional<FileAttrs> stat(RelPath path) throws IOException {
        check(Op.STAT, path);
        return delegate.stat(path);
    }

    @Override
    public List<DirEntry> list(RelPath dir) throws IOException {
        check(Op.LIST, dir);
        return delegate.list(dir);
    }

    @Override
    public SeekableByteChannel openRead(RelPath file) throws IOException {
        check(Op.OPEN_READ, file);
        return wrap(delegate.openRead(file), file, byteFault(Op.READ, file), Op.READ);
    }

    @Override
    public SeekableByteChannel createNew(RelPath file) throws IOException {
        check(Op.CREATE_NEW, file);
        return wrap(delegate.createNew(file), file, byteFault(Op.WRITE, file), Op.WRITE);
    }

    @Override
    public SeekableByteChannel openWrite(RelPath file) throws IOException {
        check(Op.OPEN_WRITE, file);
        return wrap(delegate.openWrite(file), file, byteFault(Op.WRITE, file), Op.WRITE);
    }

    private SeekableByteChannel wrap(SeekableByteChannel ch, RelPath path, Armed byteFault, Op op) {
        return byteFault == null ? ch
                : new CountingChannel(ch, path, Math.max(0, byteFault.fault.afterBytes()), op);
    }

    @Override
    public void fsync(RelPath file) throws IOException {
        check(Op.FSYNC, file);
        delegate.fsync(file);
    }

    @Override
    public void fsync(RelPath file, SeekableByteChannel open) throws IOException {
        check(Op.FSYNC, file);
        delegate.fsync(file, open instanceof CountingChannel c ? c.ch : open);
    }

    @Override
    public void fsyncDirectory(RelPath dir) throws IOException {
        check(Op.FSYNC_DIRECTORY, dir);
        delegate.fsyncDirectory(dir);
    }

    @Override
    public void rename(RelPath from, RelPath to) throws IOException {
        check(Op.RENAME, from, to);
        delegate.rename(from, to);
    }

    @Override
    public void delete(RelPath path) throws IOException {
        check(Op.DELETE, path);
        delegate.delete(path);
    }

    @Override
    public void createDirectories(RelPath dir) throws IOException {
        check(Op.CREATE_DIRECTORIES, dir);
        delegate.createDirectories(dir);
    }

    @Override
    public void setMtime(RelPath path, long mtimeNanos) throws IOException {
        check(Op.SET_MTIME, path);
        delegate.setMtime(path, mtimeNanos);
    }

    @Override
    public boolean setPosixMode(RelPath path, int mode) throws IOException {
        check(Op.SET_POSIX_MODE, path);
        return delegate.setPosixMode(path, mode);
    }

    @Override
    public String readLink(RelPath link) throws IOException {
        check(Op.READ_LINK, link);
        return delegate.readLink(link);
    }

    @Override
    public Set<Capability> capabilities() {
        return delegate.capabilities();
    }

    @Override
    public String toString() {
        return "faulty(" + delegate + ")";
    }

    /** Passes {@code limit} bytes, then fails (a short write/read first, then the error). */
    private final class CountingChannel implements SeekableByteChannel {
        private final SeekableByteChannel ch;
        private final RelPath path;
        private final long limit;
        private final Op op;
        private long passed;

        CountingChannel(SeekableByteChannel ch, RelPath path, long limit, Op op) {
            this.ch = ch;
            this.path = path;
            this.limit = limit;
            this.op = op;
        }

        private InjectedFault fail() {
            injected.incrementAndGet();
            return new InjectedFault("injected fault: " + op + " " + path + " after " + limit + " bytes");
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            if (op != Op.READ) {
                return ch.read(dst);
            }
            long left = limit - passed;
            if (left <= 0 && dst.hasRemaining()) {
                throw fail();
            }
            int oldLimit = dst.limit();
            if (dst.remaining() > left) {
                dst.limit((int) (dst.position() + left));
            }
            try {
                int n = ch.read(dst);
                if (n > 0) {
                    passed += n;
                }
                return n;
            } finally {
                dst.limit(oldLimit);
            }
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            if (op != Op.WRITE) {
                return ch.write(src);
            }
            long left = limit - passed;
            if (left <= 0 && src.hasRemaining()) {
                throw fail();
            }
            int oldLimit = src.limit();
            if (src.remaining() > left) {
                src.limit((int) (src.position() + left));
            }
            try {
                int n = ch.write(src);
                passed += n;
                return n;
            } finally {
                src.limit(oldLimit);
            }
        }

        @Override
        public long position() throws IOException {
            return ch.position();
        }

        @Override
        public SeekableByteChannel position(long p) throws IOException {
            ch.position(p);
            return this;
        }

        @Override
        public long size() throws IOException {
            return ch.size();
        }

        @Override
        public SeekableByteChannel truncate(long size) throws IOException {
            ch.truncate(size);
            return this;
        }

        @Override
        public boolean isOpen() {
            return ch.isOpen();
        }

        @Override
        public void close() throws IOException {
            ch.close();
        }
    }
}
