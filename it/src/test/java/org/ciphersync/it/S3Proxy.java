package org.ciphersync.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import org.ciphersync.vault.store.ServerProcess;

/**
 * s3proxy (an S3-compatible server over a local folder) as its own java process on 127.0.0.1.
 * Maven copies its jar to {@code target/s3proxy/s3proxy.jar}.
 *
 * <p>Credentials reach the vault the way a user's would without ever being on the command line
 * ({@code -o} refuses secrets): an AWS profile file with a named profile ({@code -o s3.profile=…}).
 * A separate CLI process finds the file through {@code AWS_SHARED_CREDENTIALS_FILE}; commands run
 * inside the test JVM through the SDK's system property {@code aws.sharedCredentialsFile}, which
 * {@link #start} sets (a test JVM runs one s3proxy at a time; the file name is stable per start).
 */
final class S3Proxy implements StorageServer {
    static final String PROFILE = "ciphersync-it";
    private static final String IDENTITY = "it-identity";

    private final String secret;
    private final Path data;
    private final int port;
    private final Path credentials;
    private final Path awsConfig;
    private final ServerProcess process;

    private S3Proxy(String secret, Path data, int port, Path credentials, Path awsConfig, ServerProcess process) {
        this.secret = secret;
        this.data = data;
        this.port = port;
        this.credentials = credentials;
        this.awsConfig = awsConfig;
        this.process = process;
    }

    static S3Proxy start(Path dir) throws IOException, InterruptedException {
        Path jar = Path.of("target/s3proxy/s3proxy.jar").toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new AssertionError(jar + " is missing; run the tests through Maven, which copies s3proxy there "
                    + "(maven-dependency-plugin, phase process-test-resources)");
        }
        String secret = "it-secret-" + Long.toHexString(new java.security.SecureRandom().nextLong());
        Path credentials = dir.resolve("aws-credentials");
        Files.writeString(credentials, "[" + PROFILE + "]\naws_access_key_id = " + IDENTITY + "\naws_secret_access_key = " + secret + "\n");
        Files.setPosixFilePermissions(credentials, PosixFilePermissions.fromString("rw-------"));
        Path awsConfig = Files.writeString(dir.resolve("aws-config"), "[profile " + PROFILE + "]\nregion = us-east-1\n");
        System.setProperty("aws.sharedCredentialsFile", credentials.toString());
        System.setProperty("aws.configFile", awsConfig.toString());

        String java = ProcessHandle.current().info().command().orElse("java");
        int port = ServerProcess.freePort();
        Path data = Files.createDirectories(dir.resolve("data"));
        Path properties = Files.writeString(dir.resolve("s3proxy.conf"), String.join("\n",
                "s3proxy.endpoint=http://127.0.0.1:" + port,
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + IDENTITY,
                "s3proxy.credential=" + secret,
                "jclouds.provider=filesystem-nio2",
                "jclouds.filesystem.basedir=" + data,
                ""));
        ServerProcess process = ServerProcess.start("s3proxy",
                List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar", jar.toString(), "--properties", properties.toString()),
                Map.of(), dir.resolve("s3proxy.log"), port);
        return new S3Proxy(secret, data, port, credentials, awsConfig, process);
    }

    @Override
    public String name() {
        return "S3 (s3proxy)";
    }

    @Override
    public String location(String vault) {
        return "s3://ciphersync-it/" + vault;
    }

    /** The endpoint's port appears in every message about this storage ("s3://bucket/prefix at http://127.0.0.1:PORT"). */
    @Override
    public List<String> options() {
        return List.of("-o", "s3.endpoint=http://127.0.0.1:" + port, "-o", "s3.profile=" + PROFILE, "-o", "s3.region=us-east-1");
    }

    @Override
    public Map<String, String> environment() {
        return Map.of("AWS_SHARED_CREDENTIALS_FILE", credentials.toString(), "AWS_CONFIG_FILE", awsConfig.toString());
    }

    @Override
    public java.util.Set<String> secrets() {
        return java.util.Set.of(secret);
    }

    @Override
    public Path dataRoot() {
        return data;
    }

    @Override
    public void kill() throws InterruptedException {
        process.kill();
    }

    @Override
    public void restart() throws IOException, InterruptedException {
        process.restart(port);
    }

    @Override
    public String log() {
        return process.logTail();
    }

    @Override
    public void close() throws InterruptedException {
        process.close();
    }
}
