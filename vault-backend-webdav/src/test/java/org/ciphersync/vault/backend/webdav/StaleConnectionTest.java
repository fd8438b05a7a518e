package org.ciphersync.vault.backend.webdav;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.ciphersync.vault.store.BackendOptions;
import org.ciphersync.vault.store.BlobStore;
import org.junit.jupiter.api.Test;

/**
 * A server that closes a connection without answering (what a pooled keep-alive connection looks
 * like when the server dropped it while idle): the request is sent once more, not failed.
 */
class StaleConnectionTest {
    @Test
    void aConnectionClosedBeforeAnyResponseByteIsRetriedOnceOnAFreshOne() throws Exception {
        AtomicInteger connections = new AtomicInteger();
        try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Thread t = Thread.ofVirtual().start(() -> {
                while (!server.isClosed()) {
                    try (Socket s = server.accept()) {
                        BufferedReader in = new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.ISO_8859_1));
                        for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
                            // request head
                        }
                        if (connections.incrementAndGet() == 1) {
                            continue; // close without a byte of response
                        }
                        OutputStream out = s.getOutputStream();
                        out.write("HTTP/1.1 201 Created\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1));
                        out.flush();
                    } catch (Exception e) {
                        return;
                    }
                }
            });
            try (BlobStore store = new WebDavStoreFactory().open("webdav://alice@127.0.0.1:" + server.getLocalPort() + "/v",
                    new BackendOptions(Map.of("webdav.password", "pw"), Map.of()))) {
                store.create();
            }
            assertThat(connections.get()).isGreaterThanOrEqualTo(2);
            server.close();
            t.join(2000);
        }
    }
}
