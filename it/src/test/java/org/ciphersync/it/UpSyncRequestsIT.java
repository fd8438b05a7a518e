package org.ciphersync.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP requests of {@code vault up} after a one-file change, counted where they arrive: in the
 * log of {@code rclone serve webdav} (WebDAV), and of the {@code rclone serve webdav} child the rclone
 * backend starts (through a wrapper program that copies its log). restic makes 15 requests for the
 * same up-sync on rclone (bench/README.md); the vault makes 12 (docs/design.md (Vault) §5): it reads
 * back nothing it wrote, lists no index objects, stores one pack without a checkpoint, and stores its
 * commit without asking for the name first. Before, it made 19.
 */
class UpSyncRequestsIT {
    /** "PATH: METHOD from 127.0.0.1:PORT", as rclone logs a request at INFO ({@code -v}). */
    private static final Pattern REQUEST = Pattern.compile("INFO {2}: (\\S*): ([A-Z]+) from 127\\.0\\.0\\.1:\\d+$");

    @TempDir
    Path tmp;

    @Test
    void webDav_upAfterAOneFileChange_makesTwelveRequestsAtMost() throws Exception {
        try (RcloneServeWebDav server = RcloneServeWebDav.start(Files.createDirectories(tmp.resolve("server")))) {
            upAfterOneChange(server, server.requestLog(), List.of());
        }
    }

    @Test
    void rclone_upAfterAOneFileChange_makesTwelveRequestsAtMost() throws Exception {
        try (RcloneLocalRemote server = RcloneLocalRemote.start(Files.createDirectories(tmp.resolve("server")))) {
            Path log = tmp.resolve("rclone-requests.log");
            // The backend asks rclone for NOTICE; INFO adds one line per request. rclone's own output
            // still reaches the backend, which reads the server's address from it.
            Path wrapper = Files.writeString(tmp.resolve("rclone-logged"), """
                    #!/bin/bash
                    args=(); for a in "$@"; do [[ $a == NOTICE ]] && a=INFO; args+=("$a"); done
                    exec 2> >(exec tee -a "%s" >&2)
                    exec rclone "${args[@]}"
                    """.formatted(log));
            Files.setPosixFilePermissions(wrapper, PosixFilePermissions.fromString("rwx------"));
            upAfterOneChange(server, log, List.of("-o", "rclone.program=" + wrapper));
        }
    }

    private void upAfterOneChange(StorageServer server, Path log, List<String> options) throws Exception {
        Path pw = Files.writeString(tmp.resolve("password.txt"), "correct horse battery staple\n");
        Computer one = new Computer(tmp, "alpha", pw, server);
        Path tree = one.home.resolve("tree");
        Trees.writeSmall(tree);
        Computer.Result init = one.run("init", withOptions(options, server.location("v"), "--kdf-floor"));
        assertThat(init.exit()).as(init.toString()).isZero();
        Computer.Result first = one.run("up", withOptions(options, tree.toString()));
        assertThat(first.exit()).as(first.toString()).isZero();

        Files.writeString(tree.resolve("docs/readme.txt"), "changed\n");
        int before = requests(log, 0).size();
        Computer.Result up = one.run("up", withOptions(options, tree.toString(), "--json"));
        assertThat(up.exit()).as(up.toString()).isZero();
        assertThat(up.last("summary").path("changed").asInt()).isEqualTo(1);
        List<String> requests = requests(log, before);

        Map<String, Integer> byMethod = new TreeMap<>();
        requests.forEach(r -> byMethod.merge(r.substring(0, r.indexOf(' ')), 1, Integer::sum));
        assertThat(requests).as("requests of the up-sync after a one-file change (restic: 15): %s", requests).hasSizeLessThanOrEqualTo(12);
        assertThat(byMethod).as("%s", requests)
                .containsEntry("PUT", 3).containsEntry("MOVE", 3) // pack, index object, commit: no checkpoint
                .doesNotContainKeys("HEAD", "DELETE"); // no name asked for before the commit; no checkpoint to delete
        assertThat(requests).as("nothing it wrote is read back; no index object listed")
                .noneMatch(r -> r.startsWith("GET ") && (r.contains("snapshots/") || r.contains("index/")))
                .noneMatch(r -> r.startsWith("PROPFIND ") && r.contains("index/"));
    }

    private static String[] withOptions(List<String> options, String... args) {
        List<String> all = new ArrayList<>(List.of(args));
        all.addAll(options);
        return all.toArray(String[]::new);
    }

    /** "METHOD path" of the requests logged after the first {@code from}, once the log stops growing. */
    private static List<String> requests(Path log, int from) throws IOException, InterruptedException {
        List<String> requests = List.of();
        for (int attempt = 0; attempt < 50; attempt++) {
            List<String> now = new ArrayList<>();
            if (Files.exists(log)) {
                for (String line : Files.readAllLines(log)) {
                    Matcher m = REQUEST.matcher(line);
                    if (m.find()) {
                        now.add(m.group(2) + " " + m.group(1));
                    }
                }
            }
            if (attempt > 0 && now.size() == requests.size()) {
                break;
            }
            requests = now;
            Thread.sleep(200); // rclone logs a request just after answering it
        }
        return List.copyOf(requests.subList(Math.min(from, requests.size()), requests.size()));
    }
}
