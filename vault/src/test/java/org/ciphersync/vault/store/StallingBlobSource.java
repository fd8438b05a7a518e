package org.ciphersync.vault.store;

import java.io.IOException;
import java.io.InputStream;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A source of {@code size} zero bytes that, once {@code stallAt} bytes were read, counts down
 * {@code reached} and waits (at most 20 s) for {@code resume}: a test kills the server in between,
 * so the failure happens in the middle of an upload.
 */
public final class StallingBlobSource implements BlobSource {
    private final long size;
    private final long stallAt;
    private final CountDownLatch reached;
    private final CountDownLatch resume;

    public StallingBlobSource(long size, long stallAt, CountDownLatch reached, CountDownLatch resume) {
        this.size = size;
        this.stallAt = stallAt;
        this.reached = reached;
        this.resume = resume;
    }

    @Override
    public long length() {
        return size;
    }

    @Override
    public InputStream open() {
        return new InputStream() {
            long served;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (served == size) {
                    return -1;
                }
                if (served >= stallAt && reached.getCount() > 0) {
                    reached.countDown();
                    try {
                        resume.await(20, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        throw new IOException(e);
                    }
                }
                int n = (int) Math.min(len, size - served);
                served += n;
                return n;
            }
        };
    }
}
