package org.ciphersync.vault.store.selftest;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Objects;

import org.ciphersync.vault.store.BlobName;
import org.ciphersync.vault.store.BlobSource;
import org.ciphersync.vault.store.BlobStore;
import org.ciphersync.vault.store.BlobType;
import org.ciphersync.vault.store.ByteRange;
import org.ciphersync.vault.store.Capabilities;
import org.ciphersync.vault.store.StoreException;
import org.ciphersync.vault.store.selftest.SelfTestReport.Check;
import org.ciphersync.vault.store.selftest.SelfTestReport.Status;

/**
 * Checks a backend before a vault is created on it or a computer joins it ({@code vault init},
 * {@code vault join}): prepares the location, writes a random probe object, reads its size,
 * finds it in a listing, reads it whole and in part, replaces it, deletes it and checks that it
 * is gone. Each step that goes wrong is explained in plain words, with what the backend lacks
 * and what to do. The probe lives under {@link BlobType#PROBE} and is removed even after a failure.
 */
public final class StoreSelfTest {

    /** Size of the probe: large enough to cross buffer boundaries, small enough for slow links. */
    static final int PROBE_SIZE = 256 * 1024;

    private static final SecureRandom RANDOM = new SecureRandom();

    private StoreSelfTest() {
    }

    /** Runs all steps on {@code store} (decorated or not) and never throws for backend failures. */
    public static SelfTestReport run(BlobStore store) {
        Objects.requireNonNull(store, "store == null");
        return new Run(store).execute();
    }

    private static final class Run {
        private final BlobStore store;
        private final List<Check> checks = new ArrayList<>();
        private final String where;
        private final BlobName probe;
        private final byte[] first = random(PROBE_SIZE);
        private final byte[] second = random(PROBE_SIZE / 2);
        private boolean written;

        Run(BlobStore store) {
            this.store = store;
            this.where = store.location();
            byte[] id = new byte[8];
            RANDOM.nextBytes(id);
            this.probe = BlobName.of(BlobType.PROBE, "selftest-" + HexFormat.of().formatHex(id));
        }

        SelfTestReport execute() {
            try {
                if (!capabilities() || !prepare() || !write() || !size() || !list() || !read() || !rangedRead()
                        || !replace()) {
                    return report();
                }
                delete();
                return report();
            } finally {
                if (written) {
                    try {
                        store.delete(probe);
                    } catch (StoreException | RuntimeException e) {
                        // Best effort; a reported failure already explains the situation.
                    }
                }
            }
        }

        private SelfTestReport report() {
            return new SelfTestReport(where, checks);
        }

        private interface Step {
            Check run(long started) throws Exception;
        }

        private boolean step(String name, Step step, String failurePrefix, String advice) {
            long started = System.nanoTime();
            Check check;
            try {
                check = step.run(started);
            } catch (StoreException e) {
                String kind = switch (e.kind()) {
                    case TRANSIENT -> " This looks temporary (network or server trouble); try again later.";
                    case NOT_FOUND -> " The object the backend just accepted was missing.";
                    case PERMANENT -> "";
                };
                check = new Check(name, Status.FAILED, failurePrefix + ": " + e.getMessage() + "." + kind + " " + advice, took(started));
            } catch (Exception e) {
                check = new Check(name, Status.FAILED, failurePrefix + ": " + e + ". " + advice, took(started));
            }
            checks.add(check);
            return check.status() != Status.FAILED;
        }

        private boolean capabilities() {
            return step("capabilities", started -> {
                Capabilities c = store.capabilities();
                List<String> lacks = new ArrayList<>();
                if (!c.atomicReplace()) {
                    lacks.add("replacing an object is not atomic, so another computer may briefly miss a lease being renewed");
                }
                if (!c.listAfterWriteConsistent()) {
                    lacks.add("listings may lag behind writes, so other computers can see new snapshots late");
                }
                if (!c.nativeRangedReads()) {
                    lacks.add("it cannot read part of an object, so restores download whole packs");
                }
                return lacks.isEmpty()
                        ? new Check("capabilities", Status.PASSED, "atomic replace, consistent listings and ranged reads", took(started))
                        : new Check("capabilities", Status.WARNING, "This backend works, but " + String.join("; ", lacks) + ".", took(started));
            }, "Could not read the backend's capabilities", "");
        }

        private boolean prepare() {
            return step("prepare", started -> {
                store.create();
                return passed("prepare", "the vault folders exist at " + where, started);
            }, "Could not prepare the vault folder at " + where,
                    "Check that the path exists or can be created and that this account may write there.");
        }

        private boolean write() {
            return step("write", started -> {
                store.save(probe, BlobSource.of(first));
                written = true;
                return passed("write", "stored a " + first.length / 1024 + " KiB test object", started);
            }, "The backend refused to store a " + first.length / 1024 + " KiB test object",
                    "Check write permission, free space or quota, and the credentials.");
        }

        private boolean size() {
            return step("size", started -> {
                long size = store.stat(probe).size();
                if (size != first.length) {
                    return failed("size", "The backend reports the test object's size as " + size + " bytes instead of "
                            + first.length + ": it changes what it stores (a compressing or transcoding gateway?). "
                            + "The vault needs storage that keeps bytes as written.", started);
                }
                return passed("size", "the stored size is right", started);
            }, "The backend stored the test object but could not report its size", "");
        }

        private boolean list() {
            return step("list", started -> {
                boolean seen = store.listAll(BlobType.PROBE).stream().anyMatch(i -> i.name().equals(probe));
                if (!seen) {
                    return new Check("list", Status.WARNING, "A listing right after the write did not show the test object: "
                            + "this backend lacks list-after-write consistency. The vault still works, but other computers "
                            + "may see new data only after a delay.", took(started));
                }
                return passed("list", "the listing shows the new object", started);
            }, "The backend cannot list the vault folder", "Check that this account may list folders there.");
        }

        private boolean read() {
            return step("read", started -> {
                byte[] back = store.loadBytes(probe);
                if (!Arrays.equals(back, first)) {
                    return failed("read", "The backend returned different bytes than were written (" + back.length
                            + " instead of " + first.length + " bytes, or altered content). The vault cannot use storage "
                            + "that changes data.", started);
                }
                return passed("read", "read back the same bytes", started);
            }, "The backend stored the test object but could not return it", "Check read permission.");
        }

        private boolean rangedRead() {
            return step("ranged read", started -> {
                int offset = first.length / 3;
                int length = 1000;
                byte[] part = store.loadBytes(probe, ByteRange.of(offset, length));
                if (!Arrays.equals(part, Arrays.copyOfRange(first, offset, offset + length))) {
                    return failed("ranged read", "Reading part of an object returned the wrong bytes: this backend "
                            + "does not handle ranged reads correctly, which restores depend on.", started);
                }
                return passed("ranged read", "read a part of the object correctly", started);
            }, "Reading part of the test object failed", "The backend or a proxy in front of it may not support ranged reads.");
        }

        private boolean replace() {
            return step("replace", started -> {
                store.save(probe, BlobSource.of(second));
                byte[] back = store.loadBytes(probe);
                if (!Arrays.equals(back, second)) {
                    return failed("replace", "After replacing the test object the backend still returned the old "
                            + "content: it cannot overwrite objects (or serves stale caches), which leases need.", started);
                }
                return passed("replace", "replaced the object", started);
            }, "The backend could not replace an existing object", "Check that this account may overwrite and rename files.");
        }

        private boolean delete() {
            return step("delete", started -> {
                store.delete(probe);
                if (store.exists(probe)) {
                    return new Check("delete", Status.WARNING, "The test object was still there right after deleting it: "
                            + "deletes take effect late on this backend, so pruning frees space with a delay.", took(started));
                }
                written = false;
                return passed("delete", "deleted the object", started);
            }, "The backend could not delete the test object " + probe,
                    "Check that this account may delete files; the vault needs it to prune old data.");
        }

        private static Check passed(String step, String message, long started) {
            return new Check(step, Status.PASSED, message, took(started));
        }

        private static Check failed(String step, String message, long started) {
            return new Check(step, Status.FAILED, message, took(started));
        }

        private static Duration took(long started) {
            return Duration.ofNanos(System.nanoTime() - started);
        }

        private static byte[] random(int size) {
            byte[] bytes = new byte[size];
            RANDOM.nextBytes(bytes);
            return bytes;
        }
    }
}
