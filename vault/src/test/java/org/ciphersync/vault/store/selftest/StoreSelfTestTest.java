package org.ciphersync.vault.store.selftest;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.function.Consumer;

import org.ciphersync.vault.store.BlobInfo;
import org.ciphersync.vault.store.BlobName;
import org.ciphersync.vault.store.BlobReader;
import org.ciphersync.vault.store.BlobSource;
import org.ciphersync.vault.store.BlobStore;
import org.ciphersync.vault.store.BlobType;
import org.ciphersync.vault.store.ByteRange;
import org.ciphersync.vault.store.Capabilities;
import org.ciphersync.vault.store.FaultInjectingBlobStore;
import org.ciphersync.vault.store.FaultInjectingBlobStore.Op;
import org.ciphersync.vault.store.StoreException;
import org.ciphersync.vault.store.StoreException.Kind;
import org.ciphersync.vault.store.decorator.ForwardingBlobStore;
import org.ciphersync.vault.store.memory.MemoryBlobStore;
import org.ciphersync.vault.store.selftest.SelfTestReport.Status;
import org.junit.jupiter.api.Test;

class StoreSelfTestTest {

    private final MemoryBlobStore memory = new MemoryBlobStore("probe-me");

    @Test
    void healthyStore_passesEveryStepAndLeavesNoProbe() throws Exception {
        SelfTestReport report = StoreSelfTest.run(memory);
        assertThat(report.passed()).isTrue();
        assertThat(report.problems()).isEmpty();
        assertThat(report.checks()).extracting(SelfTestReport.Check::step)
                .containsExactly("capabilities", "prepare", "write", "size", "list", "read", "ranged read", "replace", "delete");
        assertThat(memory.listAll(BlobType.PROBE)).isEmpty();
        assertThat(report.describe()).contains("memory:probe-me: all checks passed");
    }

    @Test
    void refusedWrite_failsExplainingWhatToCheck() throws Exception {
        FaultInjectingBlobStore store = new FaultInjectingBlobStore(memory).failNext(Op.SAVE, Kind.PERMANENT, 1);
        SelfTestReport report = StoreSelfTest.run(store);
        assertThat(report.passed()).isFalse();
        assertThat(report.problems()).singleElement().satisfies(c -> {
            assertThat(c.step()).isEqualTo("write");
            assertThat(c.message()).contains("refused to store a 256 KiB test object").contains("write permission");
        });
    }

    @Test
    void temporaryTrouble_isCalledTemporary() {
        FaultInjectingBlobStore store = new FaultInjectingBlobStore(memory).failNext(Op.CREATE, Kind.TRANSIENT, 1);
        SelfTestReport report = StoreSelfTest.run(store);
        assertThat(report.problems().get(0).message()).contains("looks temporary");
    }

    @Test
    void staleListing_isAWarningAboutListAfterWriteConsistency() throws Exception {
        BlobStore blind = new ForwardingBlobStore(memory) {
            @Override
            public void list(BlobType type, Consumer<BlobInfo> consumer) {
                // lists nothing, like an eventually consistent object store right after a write
            }
        };
        SelfTestReport report = StoreSelfTest.run(blind);
        assertThat(report.passed()).isTrue();
        assertThat(report.problems()).singleElement().satisfies(c -> {
            assertThat(c.status()).isEqualTo(Status.WARNING);
            assertThat(c.message()).contains("lacks list-after-write consistency");
        });
        assertThat(memory.listAll(BlobType.PROBE)).isEmpty();
    }

    @Test
    void brokenRangedReads_failAndTheProbeIsStillRemoved() throws Exception {
        BlobStore noRanges = new ForwardingBlobStore(memory) {
            @Override
            public <T> T load(BlobName name, ByteRange range, BlobReader<T> reader) throws IOException {
                return super.load(name, range.isAll() ? range : ByteRange.of(0, range.toEnd() ? 1 : range.length()), reader);
            }
        };
        SelfTestReport report = StoreSelfTest.run(noRanges);
        assertThat(report.passed()).isFalse();
        assertThat(report.problems()).singleElement().satisfies(c -> {
            assertThat(c.step()).isEqualTo("ranged read");
            assertThat(c.message()).contains("does not handle ranged reads");
        });
        assertThat(memory.listAll(BlobType.PROBE)).isEmpty();
    }

    @Test
    void missingCapabilities_areExplainedAsWarnings() {
        BlobStore limited = new ForwardingBlobStore(memory) {
            @Override
            public Capabilities capabilities() {
                return new Capabilities(false, true, false, 1L << 30, true, 2);
            }
        };
        SelfTestReport report = StoreSelfTest.run(limited);
        assertThat(report.passed()).isTrue();
        assertThat(report.problems()).singleElement().satisfies(c -> {
            assertThat(c.step()).isEqualTo("capabilities");
            assertThat(c.message()).contains("replacing an object is not atomic").contains("cannot read part of an object");
        });
    }

    @Test
    void alteringStore_failsTheSizeCheck() {
        BlobStore shrinking = new ForwardingBlobStore(memory) {
            @Override
            public void save(BlobName name, BlobSource source) throws StoreException {
                super.save(name, BlobSource.of(new byte[10]));
            }
        };
        SelfTestReport report = StoreSelfTest.run(shrinking);
        assertThat(report.passed()).isFalse();
        assertThat(report.describe()).contains("FAIL size").contains("changes what it stores");
    }
}
