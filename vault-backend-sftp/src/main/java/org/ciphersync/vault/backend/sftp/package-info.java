/**
 * The SFTP backend ({@code sftp://user@host[:port]/path}) on JSch.
 *
 * <p>One SSH connection per store, with up to {@code sftp.connections} SFTP channels used in
 * parallel (OpenSSH allows 10 per connection). Authentication: SSH agent ({@code SSH_AUTH_SOCK})
 * plus key files; no passwords. Host keys are checked strictly against {@code known_hosts}; an
 * unknown or changed key is refused with the command that accepts or resets it, never accepted
 * silently (trust on first use would let the first connection be intercepted).
 *
 * <p>Saves upload a hidden temporary file and rename it; JSch uses OpenSSH's
 * {@code posix-rename@openssh.com}, so a replace is atomic. Broken connections are transient and
 * re-established on the next call.
 */
package org.ciphersync.vault.backend.sftp;
