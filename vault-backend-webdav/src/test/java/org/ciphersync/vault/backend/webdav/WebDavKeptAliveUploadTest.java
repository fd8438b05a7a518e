package org.ciphersync.vault.backend.webdav;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.ciphersync.vault.store.BlobName;
import org.ciphersync.vault.store.BlobSource;
import org.ciphersync.vault.store.BlobType;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A server that answers every request as if the connection stayed open (no {@code Connection:
 * close}) and then closes it: each upload after the first goes out on a kept-alive connection the
 * server already closed, and must be sent again on a fresh one rather than fail the save.
 */
class WebDavKeptAliveUploadTest {
    private ServerSocket server;
    private Thread acceptor;
    private final List<String> requests = new CopyOnWriteArrayList<>();
    private WebDavBlobStore store;

    @BeforeEach
    void start() throws IOException {
        server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        acceptor = new Thread(this::serve, "closing-server");
        acceptor.setDaemon(true);
        acceptor.start();
        URI base = URI.create("http://127.0.0.1:" + server.getLocalPort() + "/v/");
        store = new WebDavBlobStore(new WebDavConfig(base, "webdav://closing/v/", null, null, 1, Duration.ofSeconds(5)));
    }

    @AfterEach
    void stop() throws IOException {
        store.close();
        server.close();
    }

    private void serve() {
        while (!server.isClosed()) {
            try (Socket s = server.accept()) {
                InputStream in = s.getInputStream();
                String head = readHead(in);
                if (head == null) {
                    continue;
                }
                long length = 0;
                for (String line : head.split("\r\n")) {
                    if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
                        length = Long.parseLong(line.substring(15).trim());
                    }
                }
                in.readNBytes((int) length);
                requests.add(head.substring(0, head.indexOf(' ')) + " " + length);
                OutputStream out = s.getOutputStream();
                out.write("HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (IOException e) {
                // the next connection
            }
        }
    }

    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0;
        for (int b; (b = in.read()) >= 0; ) {
            head.write(b);
            matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
            if (matched == 4) {
                return head.toString(StandardCharsets.US_ASCII);
            }
        }
        return null;
    }

    @Test
    void anUploadOnAConnectionTheServerClosed_isSentAgainOnAFreshOne() throws IOException {
        byte[] content = new byte[300_000];
        for (int i = 0; i < 3; i++) {
            store.save(BlobName.of(BlobType.KEY, "k" + i), BlobSource.of(content));
        }
        // every save arrived whole: a PUT of all its bytes, then a MOVE
        assertThat(requests.stream().filter(r -> r.startsWith("PUT")).toList())
                .containsOnly("PUT 300000").hasSize(3);
        assertThat(requests.stream().filter(r -> r.startsWith("MOVE")).count()).isEqualTo(3);
    }
}
