package org.ciphersync.vault.sync;

import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.ciphersync.crypto.secret.Password;
import org.ciphersync.vault.setup.TestVault;
import org.ciphersync.vault.setup.VaultSetup;
import org.ciphersync.vault.state.StateDirs;
import org.ciphersync.vault.store.local.LocalBlobStore;

/** A separate process for {@link CrashIT}: runs one up-sync or down-sync so the test can kill -9 it. */
public final class CrashWorker {
    private CrashWorker() {
    }

    /** Args: VAULT_DIR STATE_ROOT HOME up|down [PATH] */
    public static void main(String[] args) throws Exception {
        Path vault = Path.of(args[0]);
        StateDirs dirs = StateDirs.under(Path.of(args[1]), Path.of(args[2]));
        try (VaultSetup.Opened o = VaultSetup.open(new LocalBlobStore(vault), Password.of(TestVault.PASSWORD), dirs, "me",
                Clock.systemUTC())) {
            System.out.println("opened");
            System.out.flush();
            if (args[3].equals("up")) {
                UpSync.run(o.repo(), o.computer(), TestVault.NS, List.of(Path.of(args[2]).resolve(args[4])), Progress.NONE);
            } else {
                DownSync.run(o.repo(), o.computer(), DownSync.Options.of(TestVault.NS), Progress.NONE);
            }
        }
        System.out.println("done");
    }
}
