package org.ciphersync.vault.backend.webdav;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.ciphersync.vault.store.BlobInfo;
import org.ciphersync.vault.store.BlobName;
import org.ciphersync.vault.store.BlobType;
import org.ciphersync.vault.store.ByteRange;
import org.ciphersync.vault.store.StoreException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A lying WebDAV server (the JDK's HttpServer on port 0): the store must not believe it. */
class WebDavHostileServerTest {

    private HttpServer server;
    private WebDavBlobStore store;

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/", this::handle);
        server.start();
        URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/v/");
        store = new WebDavBlobStore(new WebDavConfig(base, "webdav://hostile/v/", null, null, 2, Duration.ofSeconds(5)));
    }

    @AfterEach
    void stop() {
        store.close();
        server.stop(0);
    }

    private void handle(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String method = exchange.getRequestMethod();
        if (method.equals("PROPFIND") && path.equals("/v/keys/")) {
            String xml = """
                    <?xml version="1.0"?>
                    <D:multistatus xmlns:D="DAV:">
                      <D:response><D:href>/v/keys/</D:href><D:propstat><D:prop><D:resourcetype><D:collection/></D:resourcetype></D:prop></D:propstat></D:response>
                      <D:response><D:href>/v/keys/good</D:href><D:propstat><D:prop><D:resourcetype/><D:getcontentlength>5</D:getcontentlength></D:prop></D:propstat></D:response>
                      <D:response><D:href>/v/keys/..</D:href><D:propstat><D:prop><D:resourcetype/><D:getcontentlength>5</D:getcontentlength></D:prop></D:propstat></D:response>
                      <D:response><D:href>/v/keys/a%2F..%2F..%2Fetc</D:href><D:propstat><D:prop><D:resourcetype/><D:getcontentlength>5</D:getcontentlength></D:prop></D:propstat></D:response>
                      <D:response><D:href>/v/keys/.k.tmp-00</D:href><D:propstat><D:prop><D:resourcetype/><D:getcontentlength>5</D:getcontentlength></D:prop></D:propstat></D:response>
                      <D:response><D:href>/v/keys/nolength</D:href><D:propstat><D:prop><D:resourcetype/></D:prop></D:propstat></D:response>
                    </D:multistatus>
                    """;
            respond(exchange, 207, xml.getBytes(StandardCharsets.UTF_8), null);
        } else if (method.equals("GET") && path.equals("/v/keys/short")) {
            // Promises 100 bytes from offset 10 but sends 3 and closes the connection.
            exchange.getResponseHeaders().add("Content-Range", "bytes 10-109/200");
            exchange.sendResponseHeaders(206, 100);
            OutputStream out = exchange.getResponseBody();
            out.write(new byte[3]);
            out.flush();
            exchange.getHttpContext().getServer().stop(0);
        } else if (method.equals("GET") && path.equals("/v/keys/shifted")) {
            respond(exchange, 206, new byte[10], "bytes 0-9/200");
        } else {
            respond(exchange, 404, new byte[0], null);
        }
    }

    private static void respond(HttpExchange exchange, int status, byte[] body, String contentRange) throws IOException {
        if (contentRange != null) {
            exchange.getResponseHeaders().add("Content-Range", contentRange);
        }
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
        }
    }

    @Test
    void listing_keepsOnlyValidFilesWithSizes() throws Exception {
        assertThat(store.listAll(BlobType.KEY)).containsExactly(new BlobInfo(BlobName.of(BlobType.KEY, "good"), 5));
    }

    @Test
    void rangeAnsweredFromTheWrongOffset_isRefused() {
        StoreException e = assertThrows(StoreException.class,
                () -> store.loadBytes(BlobName.of(BlobType.KEY, "shifted"), ByteRange.of(50, 10)));
        assertThat(e.isPermanent()).isTrue();
        assertThat(e.getMessage()).contains("Content-Range 'bytes 0-9/200'");
    }

    @Test
    void bodyCutShort_isATransientErrorNotATruncatedRead() {
        StoreException e = assertThrows(StoreException.class,
                () -> store.loadBytes(BlobName.of(BlobType.KEY, "short"), ByteRange.of(10, 100)));
        assertThat(e.isTransient()).isTrue();
    }
}
