package org.ciphersync.vault.backend.rclone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.ciphersync.vault.store.BackendOptions;
import org.ciphersync.vault.store.BlobName;
import org.ciphersync.vault.store.BlobSource;
import org.ciphersync.vault.store.BlobStore;
import org.ciphersync.vault.store.BlobStoreConformance;
import org.ciphersync.vault.store.BlobType;
import org.ciphersync.vault.store.ServerProcess;
import org.ciphersync.vault.store.StoreException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rclone store meets the whole contract with a remote of type {@code local} from a test rclone config. */
class RcloneBlobStoreIT extends BlobStoreConformance {

    @TempDir
    static Path temp;

    private static Path rcloneConfig;
    private static final AtomicInteger counter = new AtomicInteger();
    private Path folder;

    @BeforeAll
    static void writeConfig() throws Exception {
        ServerProcess.requireBinary("rclone", "rclone");
        rcloneConfig = Files.writeString(temp.resolve("rclone.conf"), "[testremote]\ntype = local\n");
    }

    private static BackendOptions options() {
        return new BackendOptions(Map.of("rclone.config", rcloneConfig.toString()), Map.of());
    }

    @Override
    protected BlobStore newStore() throws Exception {
        folder = temp.resolve("vault-" + counter.incrementAndGet());
        return new RcloneStoreFactory().open("rclone:testremote:" + folder, options());
    }

    @Test
    void objects_landInTheRemotesFolder() throws Exception {
        BlobName name = BlobName.of(BlobType.KEY, "k1");
        store.save(name, BlobSource.of(new byte[] {4, 5, 6}));
        assertThat(folder.resolve("keys/k1")).hasBinaryContent(new byte[] {4, 5, 6});
        assertThat(store.location()).isEqualTo("rclone:testremote:" + folder);
    }

    @Test
    void close_stopsTheRcloneChild() throws Exception {
        RcloneBlobStore rclone = (RcloneBlobStore) new RcloneStoreFactory().open("rclone:testremote:" + temp.resolve("x"), options());
        ProcessHandle child = ProcessHandle.of(rclone.pid()).orElseThrow();
        assertThat(child.isAlive()).isTrue();
        rclone.close();
        assertThat(child.isAlive()).isFalse();
        assertThat(rclone.isRunning()).isFalse();
    }

    @Test
    void unknownRemote_failsPermanentlyWithRclonesReasonAndTheFix() {
        StoreException e = assertThrows(StoreException.class,
                () -> new RcloneStoreFactory().open("rclone:nosuchremote:vault", options()));
        assertThat(e.isPermanent()).isTrue();
        assertThat(e.getMessage()).contains("rclone could not serve rclone:nosuchremote:vault")
                .contains("nosuchremote").contains("rclone config");
    }

    @Test
    void crashedChild_turnsFurtherCallsIntoPermanentErrorsWithRclonesOutput() throws Exception {
        RcloneBlobStore rclone = (RcloneBlobStore) store;
        ProcessHandle.of(rclone.pid()).orElseThrow().destroyForcibly();
        ProcessHandle.of(rclone.pid()).ifPresent(p -> p.onExit().join());
        StoreException e = assertThrows(StoreException.class, () -> store.stat(BlobName.of(BlobType.KEY, "k")));
        assertThat(e.isPermanent()).isTrue();
        assertThat(e.getMessage()).contains("exited with code");
    }

    @Test
    void secretsOfOnTheFlyRemotes_areRedacted() {
        assertThat(new RcloneStoreFactory().redact("rclone::s3,access_key_id=AKIA1,secret_access_key=abc/def:bucket/v"))
                .isEqualTo("rclone::s3,access_key_id=***,secret_access_key=***:bucket/v");
        assertThat(RcloneConfig.redact(":webdav,url=https://h,pass=xyz:p")).isEqualTo(":webdav,url=https://h,pass=***:p");
    }

    @Test
    void serviceLoader_registersRcloneAndTheWebDavItRidesOn() {
        assertThat(org.ciphersync.vault.store.BlobStoreRegistry.withInstalledFactories().schemes())
                .contains("rclone", "webdav", "webdavs", "file");
    }
}
