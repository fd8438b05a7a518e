package org.ciphersync.vault.backend.webdav;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.ciphersync.vault.store.BackendOptions;
import org.ciphersync.vault.store.BlobName;
import org.ciphersync.vault.store.BlobSource;
import org.ciphersync.vault.store.BlobStore;
import org.ciphersync.vault.store.BlobType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Saves into pack fan-out folders, seen in the requests {@code rclone serve webdav} logs: a pack
 * goes to a new folder with one MKCOL before its only PUT (never a PUT refused with 409 and sent
 * again), and a folder known to this store, or seen in its listing, gets no MKCOL.
 */
class WebDavFanOutIT {

    private static final Pattern REQUEST = Pattern.compile("INFO {2}: /v/(\\S*): ([A-Z]+) from 127\\.0\\.0\\.1:\\d+$");

    @TempDir
    Path temp;

    private WebDavServers.Running server;
    private Path log;

    @BeforeEach
    void start() throws Exception {
        Path dir = Files.createDirectories(temp.resolve("rclone"));
        server = WebDavServers.rclone(dir, "alice", "secret");
        log = dir.resolve("rclone.log");
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
    }

    private BlobStore open() throws Exception {
        return new WebDavStoreFactory().open("webdav://alice@127.0.0.1:" + server.port() + "/v",
                new BackendOptions(Map.of("webdav.password", "secret"), Map.of()));
    }

    private static BlobName pack(String prefix, int n) {
        return BlobName.of(BlobType.PACK, prefix + "0".repeat(61) + n);
    }

    /** "METHOD path" of the requests after the first {@code from}, once the server has logged {@code count} of them. */
    private List<String> requests(int from, int count) throws IOException, InterruptedException {
        for (int attempt = 0; ; attempt++) {
            List<String> requests = new ArrayList<>();
            for (String line : Files.readAllLines(log)) {
                Matcher m = REQUEST.matcher(line);
                if (m.find()) { // temporary upload names end in a random suffix: drop it
                    requests.add(m.group(2) + " " + m.group(1).replaceAll("\\.tmp-[0-9a-f]+$", ".tmp"));
                }
            }
            if (requests.size() >= from + count || attempt == 100) {
                return List.copyOf(requests.subList(Math.min(from, requests.size()), requests.size()));
            }
            Thread.sleep(50); // rclone logs a request just after answering it
        }
    }

    private static List<String> upload(BlobName pack) {
        String temp = pack.folder() + "/." + pack.name() + ".tmp";
        return List.of("PUT " + temp, "MOVE " + temp);
    }

    @Test
    void packIntoNewFolder_oneMkcolBeforeTheOnlyPut_noneOnceTheFolderIsKnown() throws Exception {
        BlobName a1 = pack("ab", 1);
        BlobName a2 = pack("ab", 2);
        int created;
        try (BlobStore store = open()) {
            store.create();
            created = requests(0, BlobType.values().length + 1).size();
            store.save(a1, BlobSource.of(new byte[70_000]));
            store.save(a2, BlobSource.of(new byte[70_000]));
        }
        List<String> expected = new ArrayList<>(List.of("MKCOL data/ab/"));
        expected.addAll(upload(a1));
        expected.addAll(upload(a2));
        assertThat(requests(created, 5)).containsExactlyElementsOf(expected);
        assertThat(Files.size(server.root().resolve("v").resolve(a1.path()))).isEqualTo(70_000);
    }

    @Test
    void folderSeenInAListing_getsNoMkcol_anUnseenExistingOneGetsOne() throws Exception {
        BlobName a1 = pack("ab", 1);
        try (BlobStore store = open()) {
            store.create();
            store.save(a1, BlobSource.of(new byte[10]));
        }
        int before = requests(0, BlobType.values().length + 1 + 3).size();
        BlobName a2 = pack("ab", 2);
        try (BlobStore store = open()) {
            store.list(BlobType.PACK, info -> { });
            store.save(a2, BlobSource.of(new byte[10]));
        }
        List<String> listed = new ArrayList<>(List.of("PROPFIND data/", "PROPFIND data/ab/"));
        listed.addAll(upload(a2));
        assertThat(requests(before, 4)).containsExactlyElementsOf(listed);

        BlobName a3 = pack("ab", 3);
        try (BlobStore store = open()) {
            store.save(a3, BlobSource.of(new byte[10]));
        }
        List<String> unseen = new ArrayList<>(List.of("MKCOL data/ab/"));
        unseen.addAll(upload(a3));
        assertThat(requests(before + 4, 3)).containsExactlyElementsOf(unseen);
    }
}
