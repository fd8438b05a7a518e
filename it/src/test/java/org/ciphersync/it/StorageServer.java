package org.ciphersync.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A storage a vault can live on, as the end-to-end tests see it: the location and {@code -o}
 * settings a user would type, the folder on this machine where the server keeps the objects (to
 * watch packs arrive), and, for servers that run as their own process, kill and restart.
 *
 * <p>Implementations start real servers on 127.0.0.1 through the vault test-jar's
 * {@code ServerProcess} (free ports, wait for the listener, SIGKILL with children, and the rule
 * for missing binaries: fail when {@code CI=true}, skip otherwise).
 */
interface StorageServer extends AutoCloseable {

    /** A pack object's name: SHA-256 of its bytes ‖ the writer's computer id, 96 lowercase hex. */
    Pattern PACK_NAME = Pattern.compile("[0-9a-f]{96}");

    /** For test names and messages, e.g. "SFTP (OpenSSH sshd)". */
    String name();

    /** The location of a vault called {@code vault} on this server, as given to {@code vault init}/{@code join}. */
    String location(String vault);

    /** The {@code -o KEY=VALUE} settings every vault command needs for this server (never a secret). */
    List<String> options();

    /** Environment a separate CLI process needs (e.g. where the AWS profile file is); no secrets on the command line. */
    default Map<String, String> environment() {
        return Map.of();
    }

    /** Secrets of this server (passwords, secret keys) that MUST NOT appear in any output of a vault command. */
    default java.util.Set<String> secrets() {
        return java.util.Set.of();
    }

    /** The folder on this machine where the server stores the objects of every vault. */
    Path dataRoot();

    /** Whether {@link #kill()} and {@link #restart()} are possible (false when the client itself runs the server). */
    default boolean killable() {
        return true;
    }

    /** SIGKILL of the server and every process it forked. */
    void kill() throws InterruptedException;

    /** Starts the server again on the same port with the same data, and waits until it listens. */
    void restart() throws IOException, InterruptedException;

    /** The end of the server's log, for failure messages. */
    String log();

    @Override
    void close() throws InterruptedException;

    /**
     * Pack objects the server holds under final names: object name → size. Only complete names
     * count (temporary uploads and multipart parts have other names).
     */
    default Map<String, Long> packs() {
        Map<String, Long> packs = new TreeMap<>();
        if (!Files.isDirectory(dataRoot())) {
            return packs;
        }
        try (Stream<Path> files = Files.walk(dataRoot())) {
            files.filter(p -> PACK_NAME.matcher(p.getFileName().toString()).matches()).forEach(p -> {
                try {
                    packs.put(p.getFileName().toString(), Files.size(p));
                } catch (IOException gone) {
                    // renamed or deleted while we looked; the next look sees it
                }
            });
        } catch (IOException | UncheckedIOException e) {
            // a folder vanished while walking (the server renames temporary files); report what was seen
        }
        return packs;
    }
}
