package org.ciphersync.cli.vault;

import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Options every {@code vault} command takes. The master password never comes from an argument or
 * an environment variable: {@code --password-file FILE} (may be {@code /dev/stdin}) or a prompt
 * without echo.
 */
public final class VaultOptions {
    @Option(names = "--password-file", paramLabel = "FILE",
            description = "read the master password from the first line of FILE (use /dev/stdin for a pipe); "
                    + "otherwise it is prompted without echo")
    Path passwordFile;

    @Option(names = "--recovery-key-file", paramLabel = "FILE",
            description = "unlock with the recovery key read from FILE instead of the master password "
                    + "(e.g. 'vault passwd --recovery-key-file K' after forgetting the password)")
    Path recoveryKeyFile;

    @Option(names = {"-o", "--option"}, paramLabel = "KEY=VALUE",
            description = "a storage setting, e.g. -o s3.endpoint=http://127.0.0.1:9000 -o sftp.identity=~/.ssh/id_ed25519 (see docs/design.md)")
    java.util.Map<String, String> backendOptions = new java.util.LinkedHashMap<>();

    @Option(names = "--json", description = "one JSON event per line on standard output, for scripts")
    boolean json;

    /** Hidden: puts this computer's config, data and cache under DIR (tests, several computers on one account). */
    @Option(names = "--state-dir", paramLabel = "DIR", hidden = true,
            description = "keep this computer's vault state under DIR instead of the XDG folders")
    Path stateDir;

    /** Hidden: the user's home for home-relative paths (tests); default user.home. */
    @Option(names = "--home", paramLabel = "DIR", hidden = true)
    Path home;

    /** Hidden: the user name recorded in commits and checked on down-sync (tests); default user.name. */
    @Option(names = "--user", paramLabel = "NAME", hidden = true)
    String user;
}
