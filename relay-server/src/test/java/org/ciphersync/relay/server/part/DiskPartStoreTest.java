package org.ciphersync.relay.server.part;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.stream.Stream;
import org.ciphersync.relay.protocol.session.SessionId;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiskPartStoreTest {

    static final SessionId S = new SessionId(4242);
    @TempDir
    Path dir;
    DiskPartStore store;

    @BeforeEach
    void setUp() throws IOException {
        store = newStore();
    }

    /** The store under test: every part on disk (a subclass runs the same tests with parts in memory). */
    DiskPartStore newStore() throws IOException {
        return new DiskPartStore(dir, 1000, 2500);
    }

    static PartStore.Content bytes(int n) {
        return () -> new ByteArrayInputStream(new byte[n]);
    }

    byte[] read(String part, int recipient) throws Exception {
        PartStore.OpenPart p = store.open(S, part, recipient);
        try (InputStream in = p.content()) {
            return in.readAllBytes();
        }
    }

    long filesOnDisk() throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            return s.filter(Files::isRegularFile).count();
        }
    }

    @Test
    void aPart_isDeletedOnceEveryRecipientFetchedIt() throws Exception {
        store.put(S, "p1", 1, Set.of(2, 3, 4), 10, () -> new ByteArrayInputStream("0123456789".getBytes()));
        for (int r : new int[] {2, 3, 4}) {
            assertThat(new String(read("p1", r))).isEqualTo("0123456789");
            store.fetched(S, "p1", r);
        }
        assertThat(store.partCount()).isZero();
        assertThat(store.usedBytes(S)).isZero();
        assertThat(filesOnDisk()).isZero();
        assertThatThrownBy(() -> store.open(S, "p1", 2)).isInstanceOf(PartException.class);
    }

    @Test
    void aRecipient_cannotFetchTwice_andOthersCannotFetchAtAll() throws Exception {
        store.put(S, "p1", 1, Set.of(2, 3), 5, bytes(5));
        read("p1", 2);
        store.fetched(S, "p1", 2);
        assertThatThrownBy(() -> read("p1", 2)).isInstanceOf(PartException.class)
                .extracting(e -> ((PartException) e).reason()).isEqualTo(PartException.Reason.NOT_FOUND);
        assertThatThrownBy(() -> read("p1", 5)).isInstanceOf(PartException.class);
        assertThatThrownBy(() -> read("p1", 1)).as("the uploader is not a recipient").isInstanceOf(PartException.class);
    }

    @Test
    void quota_refusesAPartThatWouldExceedIt_beforeReadingIt() throws Exception {
        store.put(S, "a", 1, Set.of(2), 1000, bytes(1000));
        store.put(S, "b", 1, Set.of(2), 1000, bytes(1000));
        assertThatThrownBy(() -> store.put(S, "c", 1, Set.of(2), 1000, bytes(1000)))
                .isInstanceOf(PartException.class).hasMessageContaining("quota")
                .extracting(e -> ((PartException) e).reason()).isEqualTo(PartException.Reason.QUOTA_EXCEEDED);
        store.fetched(S, "a", 2);
        store.put(S, "c", 1, Set.of(2), 1000, bytes(1000));
        assertThat(store.usedBytes(S)).isEqualTo(2000);
    }

    @Test
    void aRefusedPart_neverOpensItsBody() throws Exception {
        // an HTTP server sends 100 Continue when the body is opened: a refusal must come before that
        PartStore.Content untouchable = () -> {
            throw new AssertionError("the body of a refused part was opened");
        };
        store.put(S, "a", 1, Set.of(2), 1000, bytes(1000));
        assertThatThrownBy(() -> store.put(S, "a", 1, Set.of(2), 10, untouchable))
                .extracting(e -> ((PartException) e).reason()).isEqualTo(PartException.Reason.EXISTS);
        assertThatThrownBy(() -> store.put(S, "b", 1, Set.of(2), 1001, untouchable))
                .extracting(e -> ((PartException) e).reason()).isEqualTo(PartException.Reason.TOO_LARGE);
        store.put(S, "b", 1, Set.of(2), 1000, bytes(1000));
        assertThatThrownBy(() -> store.put(S, "c", 1, Set.of(2), 1000, untouchable))
                .extracting(e -> ((PartException) e).reason()).isEqualTo(PartException.Reason.QUOTA_EXCEEDED);
        assertThatThrownBy(() -> store.put(S, "../c", 1, Set.of(2), 1, untouchable))
                .extracting(e -> ((PartException) e).reason()).isEqualTo(PartException.Reason.INVALID);
    }

    @Test
    void aPartLargerThanTheLimit_isRefused() {
        assertThatThrownBy(() -> store.put(S, "a", 1, Set.of(2), 1001, bytes(1001)))
                .extracting(e -> ((PartException) e).reason()).isEqualTo(PartException.Reason.TOO_LARGE);
    }

    @Test
    void aBodyShorterOrLongerThanDeclared_isRefused_andReleasesItsQuota() throws IOException {
        assertThatThrownBy(() -> store.put(S, "a", 1, Set.of(2), 10, bytes(9))).hasMessageContaining("after 9 of 10");
        assertThatThrownBy(() -> store.put(S, "b", 1, Set.of(2), 10, bytes(11))).hasMessageContaining("longer");
        assertThat(store.usedBytes(S)).isZero();
        assertThat(filesOnDisk()).isZero();
    }

    @Test
    void aDuplicatePartId_isRefused() throws Exception {
        store.put(S, "a", 1, Set.of(2), 1, bytes(1));
        assertThatThrownBy(() -> store.put(S, "a", 1, Set.of(2), 1, bytes(1)))
                .extracting(e -> ((PartException) e).reason()).isEqualTo(PartException.Reason.EXISTS);
    }

    @Test
    void partIdsThatCouldEscapeTheDirectory_areRefused() {
        for (String bad : new String[] {"../x", "a/b", "", ".", "..", "x".repeat(65), "a b", "a\u0000"}) {
            assertThatThrownBy(() -> store.put(S, bad, 1, Set.of(2), 1, bytes(1))).as(bad)
                    .extracting(e -> ((PartException) e).reason()).isEqualTo(PartException.Reason.INVALID);
        }
    }

    @Test
    void aLeavingRecipient_nolongerHoldsAPartBack() throws Exception {
        store.put(S, "a", 1, Set.of(2, 3), 1, bytes(1));
        store.fetched(S, "a", 2);
        store.forgetRecipient(S, 3);
        assertThat(store.partCount()).isZero();
    }

    @Test
    void deleteSession_removesItsPartsAndQuota() throws Exception {
        store.put(S, "a", 1, Set.of(2), 100, bytes(100));
        store.deleteSession(S);
        assertThat(store.totalBytes()).isZero();
        assertThat(filesOnDisk()).isZero();
        store.deleteSession(S);
    }

    @Test
    void aNewStore_deletesOrphansOfAPreviousRun() throws Exception {
        store.put(S, "a", 1, Set.of(2), 100, bytes(100));
        new DiskPartStore(dir, 1000, 2500);
        assertThat(filesOnDisk()).isZero();
    }
}
