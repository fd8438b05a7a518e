package org.ciphersync.vault.backend.webdav;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.ciphersync.vault.store.BlobInfo;
import org.ciphersync.vault.store.BlobName;
import org.ciphersync.vault.store.BlobReader;
import org.ciphersync.vault.store.BlobSource;
import org.ciphersync.vault.store.BlobStore;
import org.ciphersync.vault.store.BlobType;
import org.ciphersync.vault.store.ByteRange;
import org.ciphersync.vault.store.Capabilities;
import org.ciphersync.vault.store.LoadStream;
import org.ciphersync.vault.store.SaveStream;
import org.ciphersync.vault.store.StoreException;

/**
 * A {@link BlobStore} on a WebDAV server (RFC 4918), with a small client on {@code java.net.http}:
 * {@code PUT} to a temporary name and {@code MOVE} over the final one for saves ({@code Overwrite: F}
 * for {@link #saveIfAbsent}: the server refuses an existing name with 412), {@code GET} with
 * {@code Range} for loads, {@code HEAD} for stat, {@code PROPFIND Depth: 1} for listings,
 * {@code MKCOL} for folders and {@code DELETE}.
 *
 * <p>{@code MOVE} with {@code Overwrite: T} deletes the destination before renaming on common
 * servers (Apache mod_dav, Go's x/net/webdav), so replacing is not atomic there; new names are.
 *
 * <p>The two requests that carry object contents, {@code PUT} and {@code GET}, go over the JDK's
 * blocking {@link HttpURLConnection} (kept alive and reused by the JDK): the asynchronous client
 * hands bodies between threads in 16 KiB buffers, which made a `mixed` up-sync through
 * {@code rclone serve webdav} 40 % slower than into a local folder. The other methods
 * ({@code MOVE}, {@code MKCOL}, {@code PROPFIND}) are not {@code HttpURLConnection} methods and
 * carry little; they stay on {@code java.net.http}.
 *
 * <p>The first save into a pack fan-out folder ({@code data/ab/}) that this store has not seen yet
 * creates the folder first ({@code MKCOL}, answered 405 when it exists), so no upload is sent
 * into a missing folder only to be refused with 409 and sent again.
 */
public final class WebDavBlobStore implements BlobStore {

    private static final SecureRandom RANDOM = new SecureRandom();
    /** Largest write of an upload: packs go out in a few large writes. */
    private static final int TRANSFER_BUFFER = 1 << 20;
    private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (\\d+)-(\\d+)/(\\d+|\\*)");
    private static final String PROPFIND_BODY = """
            <?xml version="1.0" encoding="utf-8"?>
            <D:propfind xmlns:D="DAV:"><D:prop><D:resourcetype/><D:getcontentlength/></D:prop></D:propfind>
            """;

    private final WebDavConfig config;
    private final HttpClient http;
    private final String authorization;
    private final Capabilities capabilities;
    /** Fan-out folders this store created, saw answer MKCOL with "exists", or saw in a listing. */
    private final Set<String> knownFanOut = ConcurrentHashMap.newKeySet();

    public WebDavBlobStore(WebDavConfig config) {
        this.config = config;
        this.http = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(config.timeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        this.authorization = config.user() == null ? null : "Basic " + Base64.getEncoder().encodeToString(
                (config.user() + ":" + (config.password() == null ? "" : config.password())).getBytes(StandardCharsets.UTF_8));
        this.capabilities = new Capabilities(false, true, true, Long.MAX_VALUE, true, config.connections());
    }

    @Override
    public String location() {
        return config.displayLocation();
    }

    @Override
    public Capabilities capabilities() {
        return capabilities;
    }

    // --- HTTP plumbing --------------------------------------------------------------------

    private URI uri(String relative) {
        return config.baseUri().resolve(relative);
    }

    private static String folderPath(BlobName name) {
        return name.folder() + "/";
    }

    private HttpRequest.Builder request(URI uri, Duration timeout) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(timeout);
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return b;
    }

    private <T> HttpResponse<T> send(String what, HttpRequest request, HttpResponse.BodyHandler<T> handler) throws StoreException {
        try {
            try {
                return http.send(request, handler);
            } catch (IOException e) {
                if (!staleConnection(e)) {
                    throw e;
                }
                // The server closed a pooled keep-alive connection just as it was reused: the request
                // never reached it, so it is sent once more on a fresh connection.
                return http.send(request, handler);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw StoreException.permanent(what + " on " + location() + " was interrupted", e);
        } catch (IOException e) {
            StoreException inner = StoreException.findIn(e);
            if (inner != null) {
                throw inner;
            }
            throw StoreException.transientFailure(what + " on " + location() + " failed: " + describe(e), e);
        }
    }

    /** The JDK client's failure for a connection closed before any byte of the response arrived. */
    static boolean staleConnection(IOException e) {
        String m = e.getMessage();
        return m != null && m.contains("header parser received no bytes");
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    private int status(String what, HttpRequest request) throws StoreException {
        return send(what, request, BodyHandlers.discarding()).statusCode();
    }

    /** Maps an unexpected HTTP status to an error for the person at the keyboard. */
    private StoreException failure(String what, int status) {
        String prefix = what + " on " + location() + " failed with HTTP " + status;
        return switch (status) {
            case 401 -> StoreException.permanent(prefix + ": the server refused the credentials"
                    + (config.user() == null ? "; give a user in the location (webdav://user@host/…)" : " of " + config.user())
                    + " and the password in " + WebDavConfig.PASSWORD_ENV, null);
            case 403 -> StoreException.permanent(prefix + ": forbidden; check that this account may write to the folder", null);
            case 404 -> StoreException.permanent(prefix + ": not found; check the folder path in the location", null);
            case 405 -> StoreException.permanent(prefix + ": method not allowed; is WebDAV enabled for this path?", null);
            case 413 -> StoreException.permanent(prefix + ": the object is larger than the server accepts (raise its upload limit)", null);
            case 507 -> StoreException.permanent(prefix + ": the server is out of space", null);
            case 408, 423, 425, 429, 500, 502, 503, 504 -> StoreException.transientFailure(prefix, null);
            default -> status >= 500 ? StoreException.transientFailure(prefix, null) : StoreException.permanent(prefix, null);
        };
    }

    // --- contract -------------------------------------------------------------------------

    @Override
    public void create() throws StoreException {
        mkcol(config.baseUri(), 0);
        for (BlobType type : BlobType.values()) {
            mkcol(uri(type.folder() + "/"), 0);
        }
    }

    /** Creates a collection, creating missing parents when the server answers 409 Conflict. */
    private void mkcol(URI collection, int depth) throws StoreException {
        int status = status("MKCOL " + collection.getPath(),
                request(collection, config.timeout()).method("MKCOL", BodyPublishers.noBody()).build());
        if (status == 201 || status == 405 || status == 301) {
            return; // created, or already there
        }
        if (status == 409 && depth < 32) {
            URI parent = collection.resolve("..");
            if (!parent.getPath().equals(collection.getPath()) && !parent.getPath().isEmpty()) {
                mkcol(parent, depth + 1);
                mkcol(collection, depth + 1);
                return;
            }
        }
        throw failure("creating the folder " + collection.getPath(), status);
    }

    @Override
    public void save(BlobName name, BlobSource source) throws StoreException {
        upload(name, source, true);
    }

    /** One request fewer than asking first: {@code MOVE} with {@code Overwrite: F} is refused (412) when the name exists. */
    @Override
    public boolean saveIfAbsent(BlobName name, BlobSource source) throws StoreException {
        return upload(name, source, false);
    }

    /** PUT to a temporary name, then MOVE over (or, without {@code overwrite}, only onto a free) final name; false when it was not free. */
    private boolean upload(BlobName name, BlobSource source, boolean overwrite) throws StoreException {
        URI folder = uri(folderPath(name));
        URI target = uri(name.path());
        URI temp = uri(name.folder() + "/." + name.name() + ".tmp-" + HexFormat.of().formatHex(random()));
        boolean uploaded = false;
        try {
            if (name.type().fanOut() && !knownFanOut.contains(name.folder())) {
                mkcol(folder, 0);
                knownFanOut.add(name.folder());
            }
            int status = put(name, source, temp);
            if (status == 409 || status == 404) {
                mkcol(folder, 0); // the fan-out folder did not exist yet
                status = put(name, source, temp);
            }
            if (status != 201 && status != 204 && status != 200) {
                throw failure("uploading " + name, status);
            }
            uploaded = true;
            int moved = status("MOVE " + name, request(temp, config.timeout())
                    .method("MOVE", BodyPublishers.noBody())
                    .header("Destination", target.toASCIIString())
                    .header("Overwrite", overwrite ? "T" : "F")
                    .build());
            if (moved == 412 && !overwrite) {
                return false; // the name exists; the upload is deleted below
            }
            if (moved != 201 && moved != 204 && moved != 200) {
                throw failure("renaming the upload of " + name, moved);
            }
            uploaded = false;
            return true;
        } finally {
            if (uploaded) {
                try {
                    status("DELETE", request(temp, config.timeout()).DELETE().build());
                } catch (StoreException ignored) {
                    // leftover temporary files start with '.' and are never listed
                }
            }
        }
    }

    /**
     * PUTs {@code source} to {@code temp}; the status. A transport failure is retried once at once
     * (a kept-alive connection the server closed just as it was reused fails a streamed upload,
     * which the JDK does not resend); a second one is left to the retry decorator.
     */
    private int put(BlobName name, BlobSource source, URI temp) throws StoreException {
        try {
            return putOnce(name, source, temp);
        } catch (TransportFailure e) {
            try {
                return putOnce(name, source, temp);
            } catch (TransportFailure again) {
                throw again.failure;
            }
        }
    }

    /** A failure of the connection (not of the content's source) during an upload. */
    private static final class TransportFailure extends Exception {
        private static final long serialVersionUID = 1L;
        final transient StoreException failure;

        TransportFailure(StoreException failure) {
            super(failure.getMessage(), null, false, false);
            this.failure = failure;
        }
    }

    private int putOnce(BlobName name, BlobSource source, URI temp) throws StoreException, TransportFailure {
        SaveStream in = SaveStream.open(name, source);
        try {
            Duration timeout = config.timeout().plusSeconds(in.length() / (256 * 1024));
            HttpURLConnection c = connection(temp, "PUT", timeout);
            c.setDoOutput(true);
            c.setFixedLengthStreamingMode(in.length());
            c.setRequestProperty("Content-Type", "application/octet-stream");
            String what = "uploading " + name;
            try {
                try (OutputStream out = c.getOutputStream()) {
                    byte[] buffer = new byte[(int) Math.min(in.length(), TRANSFER_BUFFER) + 1];
                    for (int n; (n = readSource(in, buffer, name)) >= 0; ) {
                        out.write(buffer, 0, n);
                    }
                }
                int status = c.getResponseCode();
                discardBody(c, status);
                if (status / 100 == 2) {
                    in.verifyComplete();
                }
                return status;
            } catch (StoreException e) {
                c.disconnect();
                throw e;
            } catch (IOException e) {
                c.disconnect();
                StoreException failure = transferFailure(what, e);
                if (failure.kind() == StoreException.Kind.TRANSIENT) {
                    throw new TransportFailure(failure);
                }
                throw failure;
            }
        } catch (StoreException e) {
            throw e;
        } catch (IOException e) {
            throw StoreException.permanent("reading the content for " + name + " failed: " + e.getMessage(), e);
        } finally {
            try {
                in.close();
            } catch (IOException ignored) {
                // the source's close failing does not change the outcome
            }
        }
    }

    /** Reads the content to upload; its failure is the source's, not the server's (permanent). */
    private static int readSource(SaveStream in, byte[] buffer, BlobName name) throws StoreException {
        try {
            return in.read(buffer, 0, buffer.length);
        } catch (StoreException e) {
            throw e;
        } catch (IOException e) {
            throw StoreException.permanent("reading the content for " + name + " failed: " + e.getMessage(), e);
        }
    }

    /** A blocking connection for {@code method} on {@code uri}: no proxy, no redirects, no caches. */
    private HttpURLConnection connection(URI uri, String method, Duration timeout) throws StoreException {
        try {
            HttpURLConnection c = (HttpURLConnection) uri.toURL().openConnection(Proxy.NO_PROXY);
            c.setRequestMethod(method);
            c.setConnectTimeout((int) Math.min(Integer.MAX_VALUE, config.timeout().toMillis()));
            c.setReadTimeout((int) Math.min(Integer.MAX_VALUE, timeout.toMillis()));
            c.setInstanceFollowRedirects(false);
            c.setUseCaches(false);
            if (authorization != null) {
                c.setRequestProperty("Authorization", authorization);
            }
            return c;
        } catch (IOException e) {
            throw transferFailure(method + " " + uri.getPath(), e);
        }
    }

    /** Reads and closes what the server answered besides the status, so the connection is reused. */
    private static void discardBody(HttpURLConnection c, int status) {
        try (InputStream body = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
            if (body != null) {
                body.transferTo(OutputStream.nullOutputStream());
            }
        } catch (IOException e) {
            c.disconnect(); // the answer's body was lost; this connection is not reused
        }
    }

    private StoreException transferFailure(String what, IOException e) {
        StoreException inner = StoreException.findIn(e);
        if (inner != null) {
            return inner;
        }
        return StoreException.transientFailure(what + " on " + location() + " failed: " + describe(e), e);
    }

    @Override
    public <T> T load(BlobName name, ByteRange range, BlobReader<T> reader) throws IOException {
        if (range.length() == 0) {
            long size = stat(name).size();
            if (range.offset() > size) {
                throw rangeError(name, range, size);
            }
            return reader.read(new ByteArrayInputStream(new byte[0]));
        }
        HttpURLConnection c = connection(uri(name.path()), "GET", config.timeout());
        if (!range.isAll()) {
            c.setRequestProperty("Range", range.httpHeader());
        }
        int status;
        InputStream stream;
        try {
            status = c.getResponseCode();
            stream = status >= 400 ? c.getErrorStream() : c.getInputStream();
        } catch (IOException e) {
            c.disconnect();
            throw transferFailure("loading " + name, e);
        }
        try (InputStream body = stream == null ? InputStream.nullInputStream() : stream) {
            if (status == 404) {
                throw StoreException.notFound(name, location());
            }
            if (status == 416) {
                long size = stat(name).size();
                if (range.toEnd() && range.offset() == size) {
                    return reader.read(new ByteArrayInputStream(new byte[0]));
                }
                throw rangeError(name, range, size);
            }
            InputStream content;
            long expected;
            if (status == 206) {
                String contentRange = Optional.ofNullable(c.getHeaderField("Content-Range")).orElse("");
                Matcher m = CONTENT_RANGE.matcher(contentRange);
                if (!m.matches() || Long.parseLong(m.group(1)) != range.offset()) {
                    throw StoreException.permanent("the WebDAV server answered the range " + range + " of " + name
                            + " with Content-Range '" + contentRange + "'", null);
                }
                long last = Long.parseLong(m.group(2));
                if (!range.toEnd() && last + 1 < range.end()) {
                    throw rangeError(name, range, m.group(3).equals("*") ? last + 1 : Long.parseLong(m.group(3)));
                }
                expected = range.toEnd() ? last + 1 - range.offset() : range.length();
                content = body;
            } else if (status == 200) {
                // The server ignored the Range header: skip to the offset ourselves.
                long length = c.getContentLengthLong();
                OptionalLong total = length < 0 ? OptionalLong.empty() : OptionalLong.of(length);
                if (total.isPresent()) {
                    long end = range.toEnd() ? total.getAsLong() : range.end();
                    if (range.offset() > total.getAsLong() || end > total.getAsLong()) {
                        throw rangeError(name, range, total.getAsLong());
                    }
                    expected = end - range.offset();
                } else {
                    expected = range.toEnd() ? -1 : range.length();
                }
                try {
                    body.skipNBytes(range.offset());
                } catch (java.io.EOFException e) {
                    throw rangeError(name, range, -1);
                } catch (IOException e) {
                    throw StoreException.transientFailure("loading " + name + " failed: " + describe(e), e);
                }
                content = body;
            } else {
                throw failure("loading " + name, status);
            }
            try (InputStream in = LoadStream.exactly(content, name + " " + range, expected, false)) {
                return reader.read(in);
            }
        }
    }

    private StoreException rangeError(BlobName name, ByteRange range, long size) {
        return StoreException.permanent("range " + range + " of " + name + " exceeds its size " + size, null);
    }

    @Override
    public BlobInfo stat(BlobName name) throws StoreException {
        HttpResponse<Void> response = send("stat " + name, request(uri(name.path()), config.timeout())
                .method("HEAD", BodyPublishers.noBody()).build(), BodyHandlers.discarding());
        int status = response.statusCode();
        if (status == 404) {
            throw StoreException.notFound(name, location());
        }
        if (status != 200) {
            throw failure("stat " + name, status);
        }
        OptionalLong length = response.headers().firstValueAsLong("Content-Length");
        if (length.isPresent() && length.getAsLong() >= 0) {
            return new BlobInfo(name, length.getAsLong());
        }
        // Some servers (Apache for empty files) send no Content-Length with HEAD: ask PROPFIND.
        long[] size = {-1};
        propfind(name.path(), "0", entry -> {
            if (!entry.collection() && entry.length() >= 0) {
                size[0] = entry.length();
            }
        });
        if (size[0] < 0) {
            throw StoreException.permanent("the WebDAV server sent no size for " + name, null);
        }
        return new BlobInfo(name, size[0]);
    }

    @Override
    public void list(BlobType type, Consumer<BlobInfo> consumer) throws StoreException {
        String folder = type.folder() + "/";
        if (!type.fanOut()) {
            propfind(folder, entry -> {
                if (!entry.collection() && entry.length() >= 0 && BlobName.isValid(type, entry.lastSegment())) {
                    consumer.accept(new BlobInfo(BlobName.of(type, entry.lastSegment()), entry.length()));
                }
            });
            return;
        }
        List<String> subs = new ArrayList<>();
        propfind(folder, entry -> {
            if (entry.collection() && entry.lastSegment().length() == 2 && BlobName.isValid(type, entry.lastSegment())) {
                subs.add(entry.lastSegment());
                knownFanOut.add(type.folder() + "/" + entry.lastSegment());
            }
        });
        for (String sub : subs) {
            propfind(folder + sub + "/", entry -> {
                String file = entry.lastSegment();
                if (!entry.collection() && entry.length() >= 0 && BlobName.isValid(type, file) && file.startsWith(sub)) {
                    consumer.accept(new BlobInfo(BlobName.of(type, file), entry.length()));
                }
            });
        }
    }

    private void propfind(String folder, Consumer<MultiStatusParser.Entry> consumer) throws StoreException {
        propfind(folder, "1", consumer);
    }

    private void propfind(String folder, String depth, Consumer<MultiStatusParser.Entry> consumer) throws StoreException {
        HttpRequest request = request(uri(folder), config.timeout())
                .method("PROPFIND", BodyPublishers.ofString(PROPFIND_BODY))
                .header("Depth", depth)
                .header("Content-Type", "application/xml; charset=utf-8")
                .build();
        HttpResponse<InputStream> response = send("listing " + folder, request, BodyHandlers.ofInputStream());
        try (InputStream body = response.body()) {
            int status = response.statusCode();
            if (status == 404) {
                return; // a missing folder is an empty listing
            }
            if (status != 207) {
                throw failure("listing " + folder, status);
            }
            MultiStatusParser.parse(body, consumer);
        } catch (StoreException e) {
            throw e;
        } catch (IOException e) {
            StoreException inner = StoreException.findIn(e);
            if (inner != null) {
                throw inner;
            }
            boolean parse = e.getMessage() != null && e.getMessage().startsWith("the WebDAV server sent an invalid");
            throw parse ? StoreException.permanent("listing " + folder + " on " + location() + ": " + e.getMessage(), e)
                    : StoreException.transientFailure("listing " + folder + " on " + location() + " failed: " + describe(e), e);
        }
    }

    @Override
    public void delete(BlobName name) throws StoreException {
        int status = status("deleting " + name, request(uri(name.path()), config.timeout()).DELETE().build());
        if (status != 200 && status != 204 && status != 404) {
            throw failure("deleting " + name, status);
        }
    }

    @Override
    public void close() {
        http.shutdownNow();
    }

    private static byte[] random() {
        byte[] bytes = new byte[8];
        RANDOM.nextBytes(bytes);
        return bytes;
    }

    @Override
    public String toString() {
        return location();
    }
}
