package org.ciphersync.vault.backend.s3;

import java.net.URI;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

import org.ciphersync.vault.store.BackendOptions;
import org.ciphersync.vault.store.StoreException;

/**
 * Where and how to reach an S3 (or S3-compatible) vault.
 *
 * <p>Location form: {@code s3://bucket/prefix}. Flags: {@code s3.endpoint} (for MinIO, Ceph,
 * Wasabi, Garage, s3proxy, …), {@code s3.region} (else {@code AWS_REGION}, {@code AWS_DEFAULT_REGION},
 * {@code us-east-1}), {@code s3.path-style} (default: true exactly when an endpoint is given),
 * {@code s3.profile}, {@code s3.access-key-id} + {@code s3.secret-access-key}
 * (+ {@code s3.session-token}), {@code s3.part-size-mib} (multipart part size, default 16),
 * {@code s3.connections} (default 8). Credentials: the flags, else {@code AWS_ACCESS_KEY_ID} +
 * {@code AWS_SECRET_ACCESS_KEY} from the given environment, else the named profile, else the AWS
 * SDK's default chain (profile files, container and instance roles).
 *
 * @param bucket       bucket name
 * @param prefix       key prefix without leading or trailing {@code /}, may be empty
 * @param endpoint     custom endpoint, if any
 * @param region       signing region
 * @param pathStyle    whether to address the bucket in the path instead of the host name
 * @param credentials  where the keys come from
 * @param partSize     multipart part size in bytes (5 MiB to 5 GiB); larger objects are uploaded in parts
 * @param listPageSize keys per listing request (1 to 1000)
 * @param connections  concurrent requests
 * @param timeout      connect and socket timeout
 */
public record S3Config(String bucket, String prefix, Optional<URI> endpoint, String region, boolean pathStyle,
                       Credentials credentials, long partSize, int listPageSize, int connections, Duration timeout) {

    /** Smallest part S3 accepts (except for the last one). */
    public static final long MIN_PART_SIZE = 5L * 1024 * 1024;

    /**
     * Where the access keys come from. {@link #toString()} never shows the secret key.
     *
     * @param accessKeyId     explicit key id, or null for the profile / default chain
     * @param secretAccessKey explicit secret, or null
     * @param sessionToken    explicit session token, or null
     * @param profile         named profile, or null
     */
    public record Credentials(String accessKeyId, String secretAccessKey, String sessionToken, String profile) {
        public Credentials {
            if ((accessKeyId == null) != (secretAccessKey == null)) {
                throw new IllegalArgumentException("give both the access key id and the secret access key, or neither");
            }
        }

        @Override
        public String toString() {
            return accessKeyId != null ? "static keys (id " + accessKeyId + ")"
                    : profile != null ? "profile " + profile : "AWS default credential chain";
        }
    }

    public S3Config {
        Objects.requireNonNull(bucket, "bucket == null");
        Objects.requireNonNull(prefix, "prefix == null");
        Objects.requireNonNull(endpoint, "endpoint == null");
        Objects.requireNonNull(region, "region == null");
        Objects.requireNonNull(credentials, "credentials == null");
        Objects.requireNonNull(timeout, "timeout == null");
        if (!bucket.matches("[a-z0-9][a-z0-9.\\-]{1,61}[a-z0-9]")) {
            throw new IllegalArgumentException("bucket name '" + bucket + "' is not a valid S3 bucket name (3-63 of a-z 0-9 . -)");
        }
        if (prefix.startsWith("/") || prefix.endsWith("/") || prefix.contains("//")) {
            throw new IllegalArgumentException("prefix '" + prefix + "' must not start or end with '/' or contain '//'");
        }
        if (partSize < MIN_PART_SIZE || partSize > 5L * 1024 * 1024 * 1024) {
            throw new IllegalArgumentException("part size " + partSize + " is outside 5 MiB..5 GiB");
        }
        if (listPageSize < 1 || listPageSize > 1000) {
            throw new IllegalArgumentException("list page size " + listPageSize + " is outside 1..1000");
        }
        if (connections < 1) {
            throw new IllegalArgumentException("connections " + connections + " is less than 1");
        }
    }

    /** {@code s3://bucket/prefix}, plus the endpoint when not AWS; never credentials. */
    public String location() {
        return "s3://" + bucket + (prefix.isEmpty() ? "" : "/" + prefix) + endpoint.map(e -> " at " + e).orElse("");
    }

    /** Parses {@code s3://bucket/prefix} with the flags and environment described on the class. */
    public static S3Config parse(String location, BackendOptions options) throws StoreException {
        if (!location.regionMatches(true, 0, "s3://", 0, 5)) {
            throw usage(location, "expected s3://");
        }
        String rest = location.substring(5);
        int slash = rest.indexOf('/');
        String bucket = slash < 0 ? rest : rest.substring(0, slash);
        String prefix = slash < 0 ? "" : rest.substring(slash + 1);
        while (prefix.endsWith("/")) {
            prefix = prefix.substring(0, prefix.length() - 1);
        }
        if (bucket.contains("@") || bucket.contains(":")) {
            throw usage(location, "credentials do not belong in the location; use AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY or a profile");
        }
        try {
            Optional<URI> endpoint = options.setting("s3.endpoint").map(URI::create);
            String region = options.setting("s3.region").or(() -> options.env("AWS_REGION"))
                    .or(() -> options.env("AWS_DEFAULT_REGION")).orElse("us-east-1");
            boolean pathStyle = options.setting("s3.path-style").map(Boolean::parseBoolean).orElse(endpoint.isPresent());
            Credentials credentials;
            if (options.setting("s3.access-key-id").isPresent() || options.setting("s3.secret-access-key").isPresent()) {
                credentials = new Credentials(options.setting("s3.access-key-id").orElse(null),
                        options.setting("s3.secret-access-key").orElse(null), options.setting("s3.session-token").orElse(null), null);
            } else if (options.setting("s3.profile").isPresent()) {
                credentials = new Credentials(null, null, null, options.setting("s3.profile").get());
            } else if (options.env("AWS_ACCESS_KEY_ID").isPresent() && options.env("AWS_SECRET_ACCESS_KEY").isPresent()) {
                credentials = new Credentials(options.env("AWS_ACCESS_KEY_ID").get(), options.env("AWS_SECRET_ACCESS_KEY").get(),
                        options.env("AWS_SESSION_TOKEN").orElse(null), null);
            } else {
                credentials = new Credentials(null, null, null, options.env("AWS_PROFILE").orElse(null));
            }
            long partSize = Long.parseLong(options.setting("s3.part-size-mib").orElse("16")) * 1024 * 1024;
            int pageSize = Integer.parseInt(options.setting("s3.list-page-size").orElse("1000"));
            int connections = Integer.parseInt(options.setting("s3.connections").orElse("8"));
            return new S3Config(bucket, prefix, endpoint, region, pathStyle, credentials, partSize, pageSize, connections,
                    Duration.ofSeconds(60));
        } catch (IllegalArgumentException e) {
            throw usage(location, e.getMessage());
        }
    }

    private static StoreException usage(String location, String problem) {
        return StoreException.permanent("'" + org.ciphersync.vault.store.BlobStoreFactory.redactUserInfo(location)
                + "' is not a usable S3 location (" + problem + "); use s3://bucket/prefix", null);
    }
}
