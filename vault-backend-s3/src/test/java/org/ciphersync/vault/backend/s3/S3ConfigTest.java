package org.ciphersync.vault.backend.s3;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;

import org.ciphersync.vault.store.BackendOptions;
import org.ciphersync.vault.store.StoreException;
import org.junit.jupiter.api.Test;

class S3ConfigTest {

    @Test
    void plainAwsLocation_usesVirtualHostsAndTheDefaultChain() throws Exception {
        S3Config config = S3Config.parse("s3://my-bucket/team/vault/", BackendOptions.none());
        assertThat(config.bucket()).isEqualTo("my-bucket");
        assertThat(config.prefix()).isEqualTo("team/vault");
        assertThat(config.pathStyle()).isFalse();
        assertThat(config.region()).isEqualTo("us-east-1");
        assertThat(config.credentials().toString()).isEqualTo("AWS default credential chain");
        assertThat(config.location()).isEqualTo("s3://my-bucket/team/vault");
    }

    @Test
    void endpointFlag_switchesToPathStyle_andRegionComesFromTheEnvironment() throws Exception {
        S3Config config = S3Config.parse("s3://b12/v", new BackendOptions(Map.of("s3.endpoint", "https://minio.lan:9000"),
                Map.of("AWS_REGION", "eu-central-1")));
        assertThat(config.pathStyle()).isTrue();
        assertThat(config.region()).isEqualTo("eu-central-1");
        assertThat(config.location()).isEqualTo("s3://b12/v at https://minio.lan:9000");
    }

    @Test
    void keysFromFlagsOrEnvironment_areNeverPrinted() throws Exception {
        S3Config fromFlags = S3Config.parse("s3://bucket", new BackendOptions(
                Map.of("s3.access-key-id", "AKIAFLAG", "s3.secret-access-key", "flag-secret"), Map.of()));
        assertThat(fromFlags.credentials().secretAccessKey()).isEqualTo("flag-secret");
        assertThat(fromFlags.toString()).doesNotContain("flag-secret");
        S3Config fromEnv = S3Config.parse("s3://bucket", new BackendOptions(Map.of(),
                Map.of("AWS_ACCESS_KEY_ID", "AKIAENV", "AWS_SECRET_ACCESS_KEY", "env-secret")));
        assertThat(fromEnv.credentials().accessKeyId()).isEqualTo("AKIAENV");
        assertThat(fromEnv.toString()).doesNotContain("env-secret");
    }

    @Test
    void halfGivenKeys_andBadBucketsAndPartSizes_areRefusedNamingTheProblem() {
        StoreException half = assertThrows(StoreException.class, () -> S3Config.parse("s3://bucket",
                new BackendOptions(Map.of("s3.access-key-id", "AKIA"), Map.of())));
        assertThat(half.getMessage()).contains("give both the access key id and the secret access key");
        assertThat(assertThrows(StoreException.class, () -> S3Config.parse("s3://Bad_Bucket/x", BackendOptions.none())).getMessage())
                .contains("not a valid S3 bucket name");
        assertThat(assertThrows(StoreException.class, () -> S3Config.parse("s3://bucket",
                BackendOptions.none().with("s3.part-size-mib", "1"))).getMessage()).contains("outside 5 MiB..5 GiB");
        assertThat(assertThrows(StoreException.class, () -> S3Config.parse("s3://key:secret@bucket/x", BackendOptions.none()))
                .getMessage()).doesNotContain("secret@").contains("credentials do not belong in the location");
    }

    @Test
    void serviceLoader_registersThisBackend() {
        assertThat(org.ciphersync.vault.store.BlobStoreRegistry.withInstalledFactories().schemes()).contains("s3", "file");
    }
}
