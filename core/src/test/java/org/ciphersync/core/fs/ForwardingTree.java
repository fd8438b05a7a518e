package org.ciphersync.core.fs;

import java.io.IOException;
import java.nio.channels.SeekableByteChannel;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.ciphersync.core.path.RelPath;

/**
 * A test decorator that counts content reads and lets a test override single operations. Used to
 * prove that a warm-cache scan opens no file, to simulate what root cannot (unreadable files), and
 * to record the order of an apply's writes.
 */
public class ForwardingTree implements FileTree {
    public final FileTree delegate;
    public final AtomicInteger opens = new AtomicInteger();
    public final AtomicInteger lists = new AtomicInteger();
    public final AtomicLong bytesRead = new AtomicLong();

    public ForwardingTree(FileTree delegate) {
        this.delegate = delegate;
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
        return delegate.stat(path);
    }

    @Override
    public List<DirEntry> list(RelPath dir) throws IOException {
        lists.incrementAndGet();
        return delegate.list(dir);
    }

    @Override
    public SeekableByteChannel openRead(RelPath file) throws IOException {
        opens.incrementAndGet();
        return new ForwardingChannel(delegate.openRead(file)) {
            @Override
            public int read(java.nio.ByteBuffer dst) throws IOException {
                int n = super.read(dst);
                if (n > 0) {
                    bytesRead.addAndGet(n);
                }
                return n;
            }

            @Override
            public void close() throws IOException {
                super.close();
                afterRead(file);
            }
        };
    }

    /** A channel that passes every call on; tests override single calls. */
    public static class ForwardingChannel implements SeekableByteChannel {
        protected final SeekableByteChannel ch;

        public ForwardingChannel(SeekableByteChannel ch) {
            this.ch = ch;
        }

        @Override
        public int read(java.nio.ByteBuffer dst) throws IOException {
            return ch.read(dst);
        }

        @Override
        public int write(java.nio.ByteBuffer src) throws IOException {
            return ch.write(src);
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

    /** Hook: runs after a file opened for reading is closed. */
    protected void afterRead(RelPath file) throws IOException {
    }

    @Override
    public SeekableByteChannel createNew(RelPath file) throws IOException {
        return delegate.createNew(file);
    }

    @Override
    public SeekableByteChannel openWrite(RelPath file) throws IOException {
        return delegate.openWrite(file);
    }

    @Override
    public void fsync(RelPath file) throws IOException {
        delegate.fsync(file);
    }

    @Override
    public void fsync(RelPath file, SeekableByteChannel open) throws IOException {
        delegate.fsync(file, open);
    }

    @Override
    public void fsyncDirectory(RelPath dir) throws IOException {
        delegate.fsyncDirectory(dir);
    }

    @Override
    public void rename(RelPath from, RelPath to) throws IOException {
        delegate.rename(from, to);
    }

    @Override
    public void delete(RelPath path) throws IOException {
        delegate.delete(path);
    }

    @Override
    public void createDirectories(RelPath dir) throws IOException {
        delegate.createDirectories(dir);
    }

    @Override
    public void setMtime(RelPath path, long mtimeNanos) throws IOException {
        delegate.setMtime(path, mtimeNanos);
    }

    @Override
    public boolean setPosixMode(RelPath path, int mode) throws IOException {
        return delegate.setPosixMode(path, mode);
    }

    @Override
    public String readLink(RelPath link) throws IOException {
        return delegate.readLink(link);
    }

    @Override
    public Set<Capability> capabilities() {
        return delegate.capabilities();
    }
}
