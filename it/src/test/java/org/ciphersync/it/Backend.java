package org.ciphersync.it;

import java.nio.file.Path;

/** Every storage backend the end-to-end tests run on, and how to start its server in a folder. */
enum Backend {
    SFTP {
        @Override
        StorageServer start(Path dir) throws Exception {
            return Sshd.start(dir);
        }
    },
    S3 {
        @Override
        StorageServer start(Path dir) throws Exception {
            return S3Proxy.start(dir);
        }
    },
    WEBDAV_RCLONE_SERVE {
        @Override
        StorageServer start(Path dir) throws Exception {
            return RcloneServeWebDav.start(dir);
        }
    },
    WEBDAV_APACHE {
        @Override
        StorageServer start(Path dir) throws Exception {
            return ApacheWebDav.start(dir);
        }
    },
    RCLONE_LOCAL_REMOTE {
        @Override
        StorageServer start(Path dir) throws Exception {
            return RcloneLocalRemote.start(dir);
        }
    };

    /** Starts the server (or prepares the remote) with its data under {@code dir}; skips or fails per the CI rule. */
    abstract StorageServer start(Path dir) throws Exception;
}
