package org.ciphersync.vault.check;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.ciphersync.crypto.secret.Password;
import org.ciphersync.vault.setup.TestVault;
import org.ciphersync.vault.setup.VaultSetup;
import org.ciphersync.vault.store.BlobType;
import org.ciphersync.vault.store.CountingBlobStore;
import org.ciphersync.vault.store.CountingBlobStore.Op;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What a structure check asks of the storage: trees are read through their packs, not one ranged read per folder. */
class CheckRequestsTest {
    @TempDir
    Path tmp;

    @Test
    void aCheckOfManyFoldersInTwoCommits_readsEachTreePackOnce_notEveryTree() throws IOException {
        TestVault v = new TestVault(tmp);
        TestVault.Computer a = v.computer("alpha", "me").init();
        for (int d = 0; d < 60; d++) {
            a.write("tree/d" + d + "/f.txt", "folder " + d + "\n");
        }
        a.up("tree");
        a.write("tree/d7/f.txt", "changed\n");
        a.up("tree");
        a.close();

        CountingBlobStore counted = new CountingBlobStore(v.store());
        try (VaultSetup.Opened o = VaultSetup.open(counted, Password.of(TestVault.PASSWORD), a.dirs, a.user, Clock.systemUTC())) {
            counted.reset();
            CheckReport r = VaultCheck.run(o.repo(), List.of(TestVault.NS), null);
            assertThat(r.ok()).as("%s", r).isTrue();
            long packReads = counted.calls(c -> c.op() == Op.LOAD && c.type() == BlobType.PACK).size();
            // 2 commits × 62 trees (root, ~, tree/ and 60 folders) were 124 ranged reads before
            assertThat(packReads).as("pack reads").isPositive().isLessThanOrEqualTo(r.packs());
        }
    }
}
