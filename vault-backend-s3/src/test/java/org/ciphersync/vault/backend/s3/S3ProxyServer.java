package org.ciphersync.vault.backend.s3;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.ciphersync.vault.store.BackendOptions;
import org.ciphersync.vault.store.ServerProcess;

/**
 * s3proxy (an S3-compatible server over a local folder) as a separate java process on
 * 127.0.0.1. Maven copies its jar to {@code target/s3proxy/s3proxy.jar}; the test runs it with
 * the current JDK, so no system package is needed.
 */
final class S3ProxyServer implements AutoCloseable {

    static final String IDENTITY = "test-identity";
    static final String CREDENTIAL = "test-credential-" + Long.toHexString(System.nanoTime());

    final int port;
    final Path data;
    private final ServerProcess process;

    private S3ProxyServer(int port, Path data, ServerProcess process) {
        this.port = port;
        this.data = data;
        this.process = process;
    }

    static S3ProxyServer start(Path dir) throws IOException, InterruptedException {
        Path jar = Path.of("target/s3proxy/s3proxy.jar").toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new AssertionError(jar + " is missing; run the tests through Maven, which copies s3proxy there "
                    + "(maven-dependency-plugin, phase process-test-resources)");
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        int port = ServerProcess.freePort();
        Path data = Files.createDirectories(dir.resolve("data"));
        Path properties = dir.resolve("s3proxy.conf");
        Files.writeString(properties, String.join("\n",
                "s3proxy.endpoint=http://127.0.0.1:" + port,
                "s3proxy.authorization=aws-v2-or-v4",
                "s3proxy.identity=" + IDENTITY,
                "s3proxy.credential=" + CREDENTIAL,
                "jclouds.provider=filesystem-nio2",
                "jclouds.filesystem.basedir=" + data,
                ""));
        ServerProcess process = ServerProcess.start("s3proxy",
                List.of(java, "-Xmx256m", "-XX:TieredStopAtLevel=1", "-jar", jar.toString(), "--properties", properties.toString()),
                Map.of(), dir.resolve("s3proxy.log"), port);
        return new S3ProxyServer(port, data, process);
    }

    BackendOptions options() {
        return new BackendOptions(Map.of("s3.endpoint", "http://127.0.0.1:" + port, "s3.part-size-mib", "5",
                "s3.list-page-size", "100"),
                Map.of("AWS_ACCESS_KEY_ID", IDENTITY, "AWS_SECRET_ACCESS_KEY", CREDENTIAL));
    }

    void kill() throws InterruptedException {
        process.kill();
    }

    void restart() throws IOException, InterruptedException {
        process.restart(port);
    }

    String log() {
        return process.logTail();
    }

    @Override
    public void close() throws InterruptedException {
        process.close();
    }
}
