package org.ciphersync.vault.store.decorator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.ciphersync.vault.store.BlobInfo;
import org.ciphersync.vault.store.BlobName;
import org.ciphersync.vault.store.BlobSource;
import org.ciphersync.vault.store.BlobType;
import org.ciphersync.vault.store.ByteRange;
import org.ciphersync.vault.store.FaultInjectingBlobStore;
import org.ciphersync.vault.store.FaultInjectingBlobStore.Op;
import org.ciphersync.vault.store.StoreException;
import org.ciphersync.vault.store.StoreException.Kind;
import org.ciphersync.vault.store.memory.MemoryBlobStore;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

class RetryingBlobStoreTest {

    private final List<Duration> sleeps = new ArrayList<>();
    private final FaultInjectingBlobStore faulty = new FaultInjectingBlobStore(new MemoryBlobStore());
    private final RetryingBlobStore store = new RetryingBlobStore(faulty,
            new RetryPolicy(5, Duration.ofMillis(100), Duration.ofMillis(350)), sleeps::add);
    private final BlobName name = BlobName.of(BlobType.SNAPSHOT, "s1");

    @Test
    void transientFailures_areRetriedUntilTheCallSucceeds() throws Exception {
        faulty.failNext(Op.SAVE, Kind.TRANSIENT, 3);
        store.save(name, BlobSource.of(new byte[] {1, 2, 3}));
        assertThat(faulty.calls(Op.SAVE)).isEqualTo(4);
        assertThat(store.loadBytes(name)).containsExactly(1, 2, 3);
    }

    @Test
    void backOff_doublesUpToTheMaximumWithAtMostTwentyPercentJitter() throws Exception {
        faulty.failNext(Op.STAT, Kind.TRANSIENT, 4);
        store.save(name, BlobSource.of(new byte[1]));
        store.stat(name);
        assertThat(sleeps).hasSize(4);
        long[] nominal = {100, 200, 350, 350};
        for (int i = 0; i < 4; i++) {
            assertThat(sleeps.get(i).toMillis()).isBetween(nominal[i] - nominal[i] / 5, nominal[i]);
        }
    }

    @Test
    void permanentFailures_areNotRetried() {
        faulty.failNext(Op.DELETE, Kind.PERMANENT, 1);
        assertThatThrownBy(() -> store.delete(name)).isInstanceOf(StoreException.class).hasMessageContaining("PERMANENT");
        assertThat(faulty.calls(Op.DELETE)).isEqualTo(1);
        assertThat(sleeps).isEmpty();
    }

    @Test
    void notFound_isNotRetried() {
        StoreException e = org.junit.jupiter.api.Assertions.assertThrows(StoreException.class, () -> store.stat(name));
        assertThat(e.isNotFound()).isTrue();
        assertThat(faulty.calls(Op.STAT)).isEqualTo(1);
    }

    @Test
    void persistentTransientFailure_givesUpAfterMaxAttemptsWithAnExplanation() {
        faulty.failNext(Op.CREATE, Kind.TRANSIENT, 10);
        StoreException e = org.junit.jupiter.api.Assertions.assertThrows(StoreException.class, store::create);
        assertThat(e.isTransient()).isTrue();
        assertThat(e.getMessage()).contains("gave up after 5 attempts").contains("check the connection to memory:");
        assertThat(faulty.calls(Op.CREATE)).isEqualTo(5);
    }

    @Test
    void load_failingMidStream_restartsTheReaderFromTheFirstByte() throws Exception {
        store.save(name, BlobSource.of(new byte[] {1, 2, 3, 4, 5, 6, 7, 8}));
        faulty.failNext(Op.LOAD_MIDSTREAM, Kind.TRANSIENT, 1);
        assertThat(store.loadBytes(name, ByteRange.of(2, 4))).containsExactly(3, 4, 5, 6);
        assertThat(faulty.calls(Op.LOAD)).isEqualTo(2);
    }

    @Test
    void load_readerOwnException_isNotRetried() throws Exception {
        store.save(name, BlobSource.of(new byte[] {1}));
        java.io.IOException own = new java.io.IOException("bad format");
        assertThatThrownBy(() -> store.load(name, ByteRange.all(), in -> {
            throw own;
        })).isSameAs(own);
        assertThat(faulty.calls(Op.LOAD)).isEqualTo(1);
    }

    @Test
    void list_retriedAfterPartialListing_reportsEveryObjectExactlyOnce() throws Exception {
        for (int i = 0; i < 5; i++) {
            store.save(BlobName.of(BlobType.INDEX, "i" + i), BlobSource.of(new byte[i]));
        }
        faulty.failNext(Op.LIST, Kind.TRANSIENT, 1);
        List<BlobInfo> seen = new ArrayList<>();
        store.list(BlobType.INDEX, seen::add);
        assertThat(seen).hasSize(5).doesNotHaveDuplicates();
        assertThat(faulty.calls(Op.LIST)).isEqualTo(2);
    }

    @Property(tries = 100)
    void anyMixOfFaults_eitherSucceedsIntactOrFailsWithTheFirstNonTransientError(
            @ForAll @Size(max = 6) List<@From("kinds") Kind> faults) throws Exception {
        FaultInjectingBlobStore injected = new FaultInjectingBlobStore(new MemoryBlobStore());
        RetryingBlobStore retrying = new RetryingBlobStore(injected, new RetryPolicy(4, Duration.ZERO, Duration.ZERO), d -> { });
        faults.forEach(kind -> injected.failNext(Op.SAVE, kind, 1));
        int firstPermanent = faults.indexOf(Kind.PERMANENT);
        boolean expectSuccess = firstPermanent < 0 && faults.size() < 4;
        try {
            retrying.save(name, BlobSource.of(new byte[] {9}));
            assertThat(expectSuccess).as("succeeded with faults %s", faults).isTrue();
            assertThat(retrying.loadBytes(name)).containsExactly(9);
            assertThat(injected.calls(Op.SAVE)).isEqualTo(faults.size() + 1);
        } catch (StoreException e) {
            assertThat(expectSuccess).as("failed with faults %s: %s", faults, e).isFalse();
            int attempts = firstPermanent >= 0 && firstPermanent < 4 ? firstPermanent + 1 : 4;
            assertThat(injected.calls(Op.SAVE)).isEqualTo(attempts);
            assertThat(e.kind()).isEqualTo(firstPermanent >= 0 && firstPermanent < 4 ? Kind.PERMANENT : Kind.TRANSIENT);
            assertThat(injected.exists(name)).isFalse();
        }
    }

    @Provide
    Arbitrary<Kind> kinds() {
        return Arbitraries.of(Kind.TRANSIENT, Kind.TRANSIENT, Kind.TRANSIENT, Kind.PERMANENT);
    }

    @Test
    void policy_rejectsNonsense() {
        assertThatThrownBy(() -> new RetryPolicy(0, Duration.ZERO, Duration.ZERO)).hasMessageContaining("maxAttempts 0");
        assertThatThrownBy(() -> new RetryPolicy(3, Duration.ofSeconds(2), Duration.ofSeconds(1)))
                .hasMessageContaining("initialDelay PT2S <= maxDelay PT1S");
    }
}
