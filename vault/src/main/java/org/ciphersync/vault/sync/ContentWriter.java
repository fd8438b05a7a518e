package org.ciphersync.vault.sync;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.ciphersync.vault.VaultException;
import org.ciphersync.vault.format.BlobCodec;
import org.ciphersync.vault.repo.VaultView;
import org.ciphersync.vault.tree.BlobId;
import org.ciphersync.vault.tree.FileVersion;

/**
 * Writes one file version's content from the vault to a new temporary file, the first half of
 * every restore and down-sync write (the caller renames it into place): each chunk is read,
 * opened and authenticated, the file's length and SHA-256 are checked against the version, the
 * content is forced to disk, and the file gets the version's mtime and mode. On any failure the
 * caller deletes the temporary file; nothing is renamed that was not verified and durable.
 */
final class ContentWriter {
    private ContentWriter() {
    }

    /**
     * Writes {@code v}'s content to {@code tmp}, which must not exist.
     *
     * @param what how the error names the outcome, e.g. "it was not restored"
     * @throws VaultException of kind INTEGRITY when the content read does not match the version
     */
    static void write(VaultView view, FileVersion v, Path tmp, BlobCodec codec, String what) throws IOException {
        MessageDigest fileSha = sha256();
        long written = 0;
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (BlobId id : v.chunks()) {
                byte[] data = view.repo().readBlob(view.chunk(id, v.path()), codec);
                fileSha.update(codec.lastSha256());
                ByteBuffer b = ByteBuffer.wrap(data);
                while (b.hasRemaining()) {
                    ch.write(b);
                }
                written += data.length;
            }
            ch.force(true);
        }
        if (written != v.size() || !Arrays.equals(fileSha.digest(), v.contentHash())) {
            throw VaultException.integrity(v.path() + " does not match its recorded content; " + what);
        }
        Files.setLastModifiedTime(tmp, FileTime.from(v.mtimeNanos(), TimeUnit.NANOSECONDS));
        PosixModes.apply(tmp, v.mode());
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
