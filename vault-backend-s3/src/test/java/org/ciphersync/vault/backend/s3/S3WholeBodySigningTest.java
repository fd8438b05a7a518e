package org.ciphersync.vault.backend.s3;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.net.httpserver.HttpServer;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.ciphersync.vault.store.BackendOptions;
import org.ciphersync.vault.store.BlobName;
import org.ciphersync.vault.store.BlobSource;
import org.ciphersync.vault.store.BlobType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a save puts on the wire over plain HTTP: the body as it is, signed whole (its SHA-256 in
 * {@code x-amz-content-sha256}), not re-framed in signed {@code aws-chunked} pieces. A raw HTTP
 * server stands in for S3 and records each PUT (the conformance suite shows that s3proxy accepts
 * such requests).
 */
class S3WholeBodySigningTest {

    private record Put(String path, Map<String, List<String>> headers, byte[] body) {
        String header(String name) {
            return headers.entrySet().stream().filter(e -> e.getKey().equalsIgnoreCase(name))
                    .map(e -> e.getValue().get(0)).findFirst().orElse(null);
        }
    }

    private final List<Put> puts = new CopyOnWriteArrayList<>();
    private HttpServer server;

    @BeforeEach
    void start() throws Exception {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            if (exchange.getRequestMethod().equals("PUT")) {
                puts.add(new Put(exchange.getRequestURI().getPath(), Map.copyOf(exchange.getRequestHeaders()), body));
                exchange.getResponseHeaders().add("ETag", "\"0\"");
            }
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        server.start();
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    private S3BlobStore store() throws Exception {
        BackendOptions options = new BackendOptions(
                Map.of("s3.endpoint", "http://127.0.0.1:" + server.getAddress().getPort(), "s3.region", "us-east-1",
                        "s3.path-style", "true"),
                Map.of("AWS_ACCESS_KEY_ID", "id", "AWS_SECRET_ACCESS_KEY", "secret"));
        return new S3BlobStore(S3Config.parse("s3://whole-body-test/vault", options));
    }

    private static String sha256Hex(byte[] data, int length) throws Exception {
        MessageDigest d = MessageDigest.getInstance("SHA-256");
        d.update(data, 0, length);
        return HexFormat.of().formatHex(d.digest());
    }

    @Test
    void aSavedPack_goesOutAsItIs_signedWhole() throws Exception {
        byte[] pack = new byte[3 << 20];
        new Random(1).nextBytes(pack);
        int length = pack.length - 1000; // a reused buffer: only its first bytes are the object
        BlobName name = BlobName.of(BlobType.PACK, "ab".repeat(32));
        try (S3BlobStore store = store()) {
            store.save(name, BlobSource.of(pack, length));
        }
        assertThat(puts).hasSize(1);
        Put put = puts.get(0);
        assertThat(put.path()).isEqualTo("/whole-body-test/vault/data/ab/" + "ab".repeat(32));
        assertThat(put.header("x-amz-content-sha256")).isEqualTo(sha256Hex(pack, length));
        assertThat(put.header("Content-Encoding")).isNull();
        assertThat(put.header("x-amz-decoded-content-length")).isNull();
        assertThat(put.header("Content-Length")).isEqualTo(String.valueOf(length));
        assertThat(put.header("Authorization")).startsWith("AWS4-HMAC-SHA256 ")
                .contains("x-amz-content-sha256").doesNotContain("secret");
        assertThat(put.body()).isEqualTo(Arrays.copyOf(pack, length));
    }

    @Test
    void aStreamedSource_isReadToItsEndAndSentTheSameWay() throws Exception {
        byte[] content = "an index or a snapshot".getBytes(StandardCharsets.UTF_8);
        BlobSource streamed = new BlobSource() {
            @Override
            public long length() {
                return content.length;
            }

            @Override
            public InputStream open() {
                return new ByteArrayInputStream(content);
            }
        };
        try (S3BlobStore store = store()) {
            store.save(BlobName.of(BlobType.INDEX, "cd".repeat(32)), streamed);
        }
        assertThat(puts).singleElement().satisfies(put -> {
            assertThat(put.header("x-amz-content-sha256")).isEqualTo(sha256Hex(content, content.length));
            assertThat(put.header("Content-Encoding")).isNull();
            assertThat(put.body()).isEqualTo(content);
        });
    }
}
