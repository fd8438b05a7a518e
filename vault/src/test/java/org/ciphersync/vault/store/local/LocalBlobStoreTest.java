package org.ciphersync.vault.store.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;

import org.ciphersync.vault.store.BlobName;
import org.ciphersync.vault.store.BlobSource;
import org.ciphersync.vault.store.BlobStore;
import org.ciphersync.vault.store.BlobStoreConformance;
import org.ciphersync.vault.store.BlobType;
import org.ciphersync.vault.store.StoreException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The local-folder store meets the whole contract and keeps restic's folder layout. */
class LocalBlobStoreTest extends BlobStoreConformance {

    @TempDir
    Path temp;

    private Path root;

    @Override
    protected BlobStore newStore() {
        root = temp.resolve("vault");
        return new LocalBlobStore(root);
    }

    @Test
    void save_pack_landsInItsFanOutFolder() throws Exception {
        BlobName name = BlobName.of(BlobType.PACK, "ab" + "0".repeat(62));
        store.save(name, BlobSource.of(new byte[] {1, 2, 3}));
        assertThat(root.resolve("data/ab/" + name.name())).hasBinaryContent(new byte[] {1, 2, 3});
    }

    @Test
    void create_makesEveryTypeFolder() {
        for (BlobType type : BlobType.values()) {
            assertThat(root.resolve(type.folder())).isDirectory();
        }
    }

    @Test
    void list_ignoresTemporaryForeignAndMisplacedFiles() throws Exception {
        Files.writeString(root.resolve("keys/.k1.tmp-0011"), "partial");
        Files.writeString(root.resolve("keys/bad name"), "foreign");
        Files.createDirectories(root.resolve("keys/sub"));
        Files.createDirectories(root.resolve("data/ab"));
        Files.writeString(root.resolve("data/ab/cd00"), "pack in the wrong fan-out folder");
        Files.writeString(root.resolve("data/README"), "foreign");
        store.save(BlobName.of(BlobType.KEY, "k1"), BlobSource.of(new byte[5]));
        assertThat(store.listAll(BlobType.KEY)).extracting(i -> i.name().name()).containsExactly("k1");
        assertThat(store.listAll(BlobType.PACK)).isEmpty();
    }

    @Test
    void save_failingSource_removesItsTemporaryFile() throws Exception {
        assertThatThrownBy(() -> store.save(BlobName.of(BlobType.INDEX, "i1"), failingSource(1000, 10)))
                .isInstanceOf(StoreException.class);
        try (var files = Files.list(root.resolve("index"))) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void factory_acceptsPlainPathsAndFileUris() throws Exception {
        assertThat(LocalStoreFactory.toPath("/srv/vault")).isEqualTo(Path.of("/srv/vault"));
        assertThat(LocalStoreFactory.toPath("file:///srv/vault")).isEqualTo(Path.of("/srv/vault"));
        assertThat(LocalStoreFactory.toPath("file:/srv/vault")).isEqualTo(Path.of("/srv/vault"));
    }
}
