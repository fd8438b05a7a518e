package org.ciphersync.session.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.ciphersync.session.client.SessionFixture.WAIT;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Collectors;
import org.ciphersync.core.compare.Cell;
import org.ciphersync.core.compare.Comparison;
import org.ciphersync.core.compare.ComparisonRow;
import org.ciphersync.session.member.SourceEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 5, first part: the Data Inventory across members and the same comparison everywhere. */
class SessionInventoryIT {
    @TempDir
    Path tmp;

    private Path folder(String name, String... filesAndContents) throws Exception {
        Path d = Files.createDirectories(tmp.resolve(name));
        for (int i = 0; i < filesAndContents.length; i += 2) {
            Path f = d.resolve(filesAndContents[i]);
            Files.createDirectories(f.getParent());
            Files.writeString(f, filesAndContents[i + 1]);
        }
        return d;
    }

    static String canonical(Comparison c) {
        return c.nodeIds() + "\n" + c.rows().stream().map(SessionInventoryIT::row).collect(Collectors.joining("\n"));
    }

    private static String row(ComparisonRow r) {
        return r.path() + " " + r.status() + " " + r.cells().stream().map(SessionInventoryIT::cell).collect(Collectors.joining(" "));
    }

    private static String cell(Cell c) {
        return c.nodeId() + ":" + (c.present() ? c.entry().type() + "/" + c.entry().size() + "/" + c.contentGroup() : "-");
    }

    @Test
    void threeMembers_inventoryTheirOwnSources_andComputeTheSameComparison_withoutTheRelaySeeingANameOrByte() throws Exception {
        Path a = folder("a", "common.txt", "same", "only-on-alpha.txt", "alpha", "differs.txt", "AAAA", "sub/deep-name.txt", "x");
        Path b = folder("b", "common.txt", "same", "differs.txt", "BBBBBB");
        Path c = folder("c", "common.txt", "same");
        try (SessionFixture f = SessionFixture.start(tmp.resolve("fixture"))) {
            SessionClient ca = f.create("alpha", SourceEntry.directory(a.toString()));
            SessionClient cb = f.join(ca, "bravo", SourceEntry.directory(b.toString()));
            SessionClient cc = f.join(ca, "charlie", SourceEntry.directory(c.toString()));
            for (SessionClient x : List.of(ca, cb, cc)) {
                x.await(v -> v.lettersAndNames().equals("A:alpha B:bravo C:charlie")
                        && v.members().stream().allMatch(m -> m.sources().size() == 1), WAIT);
            }

            ca.startInventory();

            String expected = null;
            for (SessionClient x : List.of(ca, cb, cc)) {
                x.await(v -> x.comparison().isPresent() || x.inventoryProblem() != null, WAIT);
                assertThat(x.inventoryProblem()).isNull();
                Comparison cmp = x.comparison().orElseThrow();
                assertThat(cmp.nodeIds()).containsExactly("A1", "B1", "C1");
                String canon = canonical(cmp);
                if (expected == null) {
                    expected = canon;
                } else {
                    assertThat(canon).as("the comparison on " + x).isEqualTo(expected);
                }
            }
            Comparison cmp = cb.comparison().orElseThrow();
            ComparisonRow only = cmp.rows().stream().filter(r -> r.path().value().equals("only-on-alpha.txt")).findFirst().orElseThrow();
            assertThat(only.presentOn("A1")).isTrue();
            assertThat(only.presentOn("B1")).isFalse();
            for (String secret : List.of("only-on-alpha", "deep-name", "differs.txt", "AAAA", "BBBBBB")) {
                assertThat(f.tap.contains(secret)).as(secret + " crossed the relay in clear").isFalse();
            }
            assertThat(ca.alerts()).isEmpty();
            assertThat(cc.alerts()).isEmpty();
        }
    }

    @Test
    void duplicatesAndEmptyFiles_withTheirOwnDates_allArrive_eachWithItsDate() throws Exception {
        Path a = Files.createDirectories(tmp.resolve("dup-a"));
        Path b = Files.createDirectories(tmp.resolve("dup-b"));
        List<String> paths = List.of("one.txt", "Downloads/one (1).txt", "Downloads/one (2).txt", "empty-1", "x/empty-2", "x/y/empty-3");
        writeDated(a, paths, path -> path.contains("empty") ? "" : "the same content in three places", 1_600_000_000_000L);
        try (SessionFixture f = SessionFixture.start(tmp.resolve("fixture"))) {
            SessionClient ca = f.create("alpha", SourceEntry.directory(a.toString()));
            SessionClient cb = f.join(ca, "bravo", SourceEntry.directory(b.toString()));
            mirror(f, ca, cb);
            assertThat(tree(b)).isEqualTo(tree(a));
            for (String path : paths) {
                assertThat(Files.getLastModifiedTime(b.resolve(path))).as(path).isEqualTo(Files.getLastModifiedTime(a.resolve(path)));
            }
        }
    }

    @Test
    void aFirstSyncIntoAnEmptyFolder_placesEveryFileInNewFolders_withTheSourcesDatesAndModes_andASecondRunDoesNothing() throws Exception {
        Path a = Files.createDirectories(tmp.resolve("fresh-a"));
        Path b = Files.createDirectories(tmp.resolve("fresh-b"));
        List<String> files = List.of("top.txt", "docs/a.txt", "docs/deep/er/b.txt", "docs/deep/er/c.txt", "photos/2020/d.jpg");
        for (int i = 0; i < files.size(); i++) { // modes first: the dates below stay
            Path file = a.resolve(files.get(i));
            Files.createDirectories(file.getParent());
            Files.writeString(file, "content of " + files.get(i));
            Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString(i % 2 == 0 ? "rw-r-----" : "rwx------"));
        }
        writeDated(a, files, path -> "content of " + path, 1_500_000_000_000L);
        Files.createDirectories(a.resolve("empty/folder"));
        List<String> folders = List.of("docs", "docs/deep", "docs/deep/er", "photos", "photos/2020", "empty", "empty/folder");
        for (int i = folders.size() - 1; i >= 0; i--) { // deepest first: a date set on a folder survives its parent's
            Path dir = a.resolve(folders.get(i));
            Files.setPosixFilePermissions(dir, java.nio.file.attribute.PosixFilePermissions.fromString(i % 2 == 0 ? "rwxr-x---" : "rwx------"));
            Files.setLastModifiedTime(dir, java.nio.file.attribute.FileTime.fromMillis(1_400_000_000_000L + i * 3_600_000L));
        }
        try (SessionFixture f = SessionFixture.start(tmp.resolve("fixture"))) {
            SessionClient ca = f.create("alpha", SourceEntry.directory(a.toString()));
            SessionClient cb = f.join(ca, "bravo", SourceEntry.directory(b.toString()));
            mirror(f, ca, cb);
            assertThat(tree(b)).isEqualTo(tree(a));
            for (String path : concat(files, folders)) {
                assertThat(Files.getLastModifiedTime(b.resolve(path))).as(path).isEqualTo(Files.getLastModifiedTime(a.resolve(path)));
                assertThat(Files.getPosixFilePermissions(b.resolve(path))).as(path).isEqualTo(Files.getPosixFilePermissions(a.resolve(path)));
            }
            assertThat(leftovers(b)).as("no temporary or staged file left in the target").isEmpty();

            ca.startInventory();
            ca.await(v -> ca.comparison().isPresent() && ca.comparison().get().rows().stream().noneMatch(r -> r.status().isDifference()),
                    WAIT);
        }
    }

    /** Writes each of {@code paths} under {@code root} (with its folders) with its content, dated a day after the one before. */
    private static void writeDated(Path root, List<String> paths, java.util.function.UnaryOperator<String> content, long firstMillis)
            throws Exception {
        for (int i = 0; i < paths.size(); i++) {
            Path file = root.resolve(paths.get(i));
            Files.createDirectories(file.getParent());
            Files.writeString(file, content.apply(paths.get(i)));
            Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(firstMillis + i * 86_400_000L));
        }
    }

    private static List<String> concat(List<String> x, List<String> y) {
        return java.util.stream.Stream.concat(x.stream(), y.stream()).toList();
    }

    /** Names under {@code root} (outside the engine's state folder) that only a transfer leaves: temporary or partial files. */
    private static List<String> leftovers(Path root) throws Exception {
        try (java.util.stream.Stream<Path> walk = Files.walk(root)) {
            return walk.map(p -> root.relativize(p).toString()).filter(r -> !r.startsWith(".ciphersync"))
                    .filter(r -> r.contains(".ciphersync.tmp") || r.endsWith(".part") || r.endsWith(".have")).toList();
        }
    }

    @Test
    void aTreeOfManySmallFiles_travelsInOneSharedPart_andAFewBundledFrames() throws Exception {
        Path a = Files.createDirectories(tmp.resolve("many-a"));
        Path b = Files.createDirectories(tmp.resolve("many-b"));
        for (int i = 0; i < 600; i++) {
            Path file = a.resolve("d" + (i % 30)).resolve("note-" + i + ".txt");
            Files.createDirectories(file.getParent());
            Files.writeString(file, ("line " + i + " of a small note\n").repeat(1 + i % 90));
        }
        try (SessionFixture f = SessionFixture.start(tmp.resolve("fixture"))) {
            SessionClient ca = f.create("alpha", SourceEntry.directory(a.toString()));
            SessionClient cb = f.join(ca, "bravo", SourceEntry.directory(b.toString()));
            int before = f.tap.frameCount();
            mirror(f, ca, cb);
            assertThat(tree(b)).isEqualTo(tree(a));
            assertThat(f.tap.uploads()).filteredOn(u -> u.startsWith("p")).as("600 files, 0.9 MB: one part").hasSize(1);
            // one frame per file and message kind would be 1,800 and more; plan, results and key rotation add a few,
            // and a bundle waiting for answers ships after 20 ms, so a loaded machine sends more, smaller bundles
            // (60 seen under a parallel build; 20-40 on a quiet machine)
            assertThat(f.tap.frameCount() - before).isLessThan(150);
            assertThat(cb.alerts()).isEmpty();
        }
    }

    /** Relative path → content of every file under {@code root}, leaving out the engine's state folder. */
    static java.util.Map<String, String> tree(Path root) throws Exception {
        java.util.Map<String, String> out = new java.util.TreeMap<>();
        try (java.util.stream.Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.toList()) {
                String rel = root.relativize(p).toString().replace('\\', '/');
                if (rel.isEmpty() || rel.startsWith(".ciphersync")) {
                    continue;
                }
                out.put(rel, Files.isDirectory(p) ? "<dir>" : Files.readString(p));
            }
        }
        return out;
    }

    @Test
    void aThreeMemberMirror_endsWithIdenticalTrees_andOnlyCiphertextCrossesTheRelay() throws Exception {
        String big = "MARKER-BIG-CONTENT ".repeat(200_000); // ~3.8 MB, compressible
        Path a = folder("a", "common.txt", "same", "photo/one.txt", "MARKER-ONE", "big.txt", big, "changed.txt", "new version");
        Path b = folder("b", "common.txt", "same", "changed.txt", "old version", "stale.txt", "delete me");
        Path c = folder("c");
        try (SessionFixture f = SessionFixture.start(tmp.resolve("fixture"))) {
            SessionClient ca = f.create("alpha", SourceEntry.directory(a.toString()));
            SessionClient cb = f.join(ca, "bravo", SourceEntry.directory(b.toString()));
            SessionClient cc = f.join(ca, "charlie", SourceEntry.directory(c.toString()));
            for (SessionClient x : List.of(ca, cb, cc)) {
                x.await(v -> v.lettersAndNames().equals("A:alpha B:bravo C:charlie")
                        && v.members().stream().allMatch(m -> m.sources().size() == 1), WAIT);
            }
            ca.startInventory();
            ca.await(v -> ca.comparison().isPresent(), WAIT);
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> ca.startSynchronization(Preset.MIRROR))
                    .as("C is empty and the plan deletes on B: local sync's empty-node guard")
                    .isInstanceOf(org.ciphersync.session.PlanRefusedException.class).hasMessageContaining("--force");
            assertThat(b.resolve("stale.txt")).as("nothing ordered").exists();

            ca.startSynchronization(PlanChoice.of(Preset.MIRROR), true);

            for (SessionClient x : List.of(ca, cb, cc)) {
                x.await(v -> x.syncComplete(), WAIT.multipliedBy(3));
                assertThat(x.syncProblem()).isNull();
            }
            assertThat(ca.syncResults()).allSatisfy(r -> assertThat(r.failed()).isZero());
            assertThat(tree(b)).isEqualTo(tree(a));
            assertThat(tree(c)).isEqualTo(tree(a));
            List<String> fileParts = f.tap.uploads().stream().filter(u -> u.startsWith("p")).toList();
            assertThat(fileParts).as("chunks both B and C lack are uploaded once for both (fan-out)")
                    .anyMatch(u -> u.endsWith("[" + cb.memberId() + ", " + cc.memberId() + "]"));
            assertThat(fileParts).as("common.txt's chunk, which B already has, goes to C alone")
                    .anyMatch(u -> u.endsWith("[" + cc.memberId() + "]"));
            long sent = fileParts.stream().mapToLong(u -> Long.parseLong(u.split(" ")[1])).sum();
            assertThat(sent).as("the compressible file went through zstd").isLessThan(big.length() / 10);
            assertThat(ca.view().run()).isEqualTo(RunState.IDLE);
            for (String secret : List.of("MARKER-ONE", "MARKER-BIG", "new version", "one.txt")) {
                assertThat(f.tap.contains(secret)).as(secret + " crossed the relay in clear").isFalse();
            }
        }
    }

    @Test
    void aTwoMemberTwoWayRun_bringsEachSidesNewFilesToTheOther() throws Exception {
        Path a = folder("a", "from-alpha.txt", "alpha", "both.txt", "same");
        Path b = folder("b", "from-bravo.txt", "bravo", "both.txt", "same");
        try (SessionFixture f = SessionFixture.start(tmp.resolve("fixture"))) {
            SessionClient ca = f.create("alpha", SourceEntry.directory(a.toString()));
            SessionClient cb = f.join(ca, "bravo", SourceEntry.directory(b.toString()));
            for (SessionClient x : List.of(ca, cb)) {
                x.await(v -> v.members().size() == 2 && v.members().stream().allMatch(m -> m.sources().size() == 1), WAIT);
            }
            org.ciphersync.core.settings.SyncSettings checksum = org.ciphersync.core.settings.SyncSettings.defaults()
                    .withAnalysis(org.ciphersync.core.settings.SyncSettings.AnalysisMode.CHECKSUM);
            ca.changeSettings(checksum);
            cb.await(v -> v.settings().equals(checksum), WAIT);
            ca.startInventory();
            ca.await(v -> ca.comparison().isPresent(), WAIT);
            ca.startSynchronization(Preset.TWO_WAY);
            for (SessionClient x : List.of(ca, cb)) {
                x.await(v -> x.syncComplete(), WAIT.multipliedBy(3));
            }
            assertThat(tree(a)).isEqualTo(tree(b)).containsKeys("from-alpha.txt", "from-bravo.txt", "both.txt");
        }
    }

    @Test
    void aTamperedPart_isRejected_theTargetFileIsUntouched_andTheOtherItemsStillRun() throws Exception {
        Path a = folder("a", "changed.txt", "new version", "other.txt", "fine");
        Path b = folder("b", "changed.txt", "old version", "stale.txt", "only on b");
        try (SessionFixture f = SessionFixture.start(tmp.resolve("fixture"))) {
            SessionClient ca = f.create("alpha", SourceEntry.directory(a.toString()));
            SessionClient cb = f.join(ca, "bravo", SourceEntry.directory(b.toString()));
            for (SessionClient x : List.of(ca, cb)) {
                x.await(v -> v.members().size() == 2 && v.members().stream().allMatch(m -> m.sources().size() == 1), WAIT);
            }
            ca.startInventory();
            ca.await(v -> ca.comparison().isPresent(), WAIT);
            java.util.concurrent.atomic.AtomicBoolean first = new java.util.concurrent.atomic.AtomicBoolean(true);
            f.links.get("bravo").download = (id, data) -> {
                if (first.getAndSet(false)) {
                    data[data.length - 5] ^= 1;
                }
                return data;
            };

            ca.startSynchronization(Preset.MIRROR);

            cb.await(v -> cb.syncComplete(), WAIT.multipliedBy(3));
            MemberSyncResult rb = cb.syncResults().stream().filter(r -> r.memberId() == cb.memberId()).findFirst().orElseThrow();
            // both files travel in the one part the relay tampered with: both fail, untouched; the delete still runs
            assertThat(rb.failed()).isEqualTo(2);
            assertThat(rb.succeeded()).isEqualTo(1);
            assertThat(cb.alerts()).anyMatch(t -> t.contains("does not authenticate"));
            assertThat(cb.syncFailures()).extracting(x -> x.path()).containsExactlyInAnyOrder("changed.txt", "other.txt");
            assertThat(cb.syncFailures()).allSatisfy(x -> assertThat(x.reason()).contains("not received intact"));
            java.util.Map<String, String> after = tree(b);
            assertThat(after.get("changed.txt")).as("the target file is untouched").isEqualTo("old version");
            assertThat(after).as("nothing half-received is created").doesNotContainKey("other.txt").doesNotContainKey("stale.txt");
        }
    }

    static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new java.util.Random(seed).nextBytes(b);
        return b;
    }

    static long partBytes(SessionFixture f) {
        return f.tap.uploads().stream().filter(u -> u.startsWith("p")).mapToLong(u -> Long.parseLong(u.split(" ")[1])).sum();
    }

    static void mirror(SessionFixture f, SessionClient... members) throws Exception {
        SessionClient leader = members[0];
        for (SessionClient x : members) {
            x.await(v -> v.members().size() == members.length && v.members().stream().allMatch(m -> m.sources().size() == 1), WAIT);
        }
        leader.startInventory();
        leader.await(v -> leader.comparison().isPresent(), WAIT);
        leader.startSynchronization(Preset.MIRROR);
        for (SessionClient x : members) {
            x.await(v -> x.syncComplete(), WAIT.multipliedBy(3));
            assertThat(x.syncProblem()).isNull();
        }
        assertThat(leader.syncResults()).allSatisfy(r -> assertThat(r.failed()).isZero());
    }

    /**
     * Moves {@code file}'s mtime an hour back. A file system stamps writes with a coarse clock (one
     * kernel tick, several milliseconds), so two files of the same size written one after the other
     * can share an mtime, and the smart comparison then rightly takes them for the same content.
     */
    static void olderByAnHour(Path file) throws IOException {
        Files.setLastModifiedTime(file, FileTime.fromMillis(Files.getLastModifiedTime(file).toMillis() - 3_600_000));
    }

    @Test
    void anEditInTheMiddleOfALargeFile_sendsOnlyTheChangedChunks() throws Exception {
        byte[] content = random(4 << 20, 1);
        byte[] edited = content.clone();
        for (int i = 0; i < 100; i++) {
            edited[(2 << 20) + i] ^= 0x5a;
        }
        Path a = Files.createDirectories(tmp.resolve("a"));
        Path b = Files.createDirectories(tmp.resolve("b"));
        Files.write(a.resolve("big.bin"), content);
        Files.write(b.resolve("big.bin"), edited);
        olderByAnHour(b.resolve("big.bin")); // same size: two writes within one clock tick could share an mtime
        try (SessionFixture f = SessionFixture.start(tmp.resolve("fixture"))) {
            SessionClient ca = f.create("alpha", SourceEntry.directory(a.toString()));
            SessionClient cb = f.join(ca, "bravo", SourceEntry.directory(b.toString()));
            mirror(f, ca, cb);
            assertThat(Files.readAllBytes(b.resolve("big.bin"))).isEqualTo(content);
            long sent = partBytes(f);
            assertThat(sent).as("bytes uploaded for a 100-byte edit in a 4 MiB random file").isPositive().isLessThan(600_000);
        }
    }

    @Test
    void aRenamedFile_sendsNoContent() throws Exception {
        byte[] content = random(1 << 20, 2);
        Path a = Files.createDirectories(tmp.resolve("a"));
        Path b = Files.createDirectories(tmp.resolve("b"));
        Files.write(a.resolve("new-name.bin"), content);
        Files.write(b.resolve("old-name.bin"), content);
        try (SessionFixture f = SessionFixture.start(tmp.resolve("fixture"))) {
            SessionClient ca = f.create("alpha", SourceEntry.directory(a.toString()));
            SessionClient cb = f.join(ca, "bravo", SourceEntry.directory(b.toString()));
            mirror(f, ca, cb);
            assertThat(Files.readAllBytes(b.resolve("new-name.bin"))).isEqualTo(content);
            assertThat(b.resolve("old-name.bin")).doesNotExist();
            assertThat(partBytes(f)).as("content bytes uploaded for a renamed file").isZero();
        }
    }

    @Test
    void aFileChangedOnItsSourceAfterTheInventory_isReportedAndNotSentHalfOld() throws Exception {
        editAfterTheInventory(null, moving -> Files.writeString(moving, "edited after the inventory, longer"),
                "changed on its source since the inventory");
    }

    @Test
    void aFileRewrittenWithItsSizeAndDateAfterAChecksumInventory_isReportedAndNotSent() throws Exception {
        // The source sends from its inventory's fingerprint when size and date are unchanged (no second
        // read); the chunks it packs are hashed again, so a rewrite that kept both is still caught.
        org.ciphersync.core.settings.SyncSettings checksum = org.ciphersync.core.settings.SyncSettings.defaults()
                .withAnalysis(org.ciphersync.core.settings.SyncSettings.AnalysisMode.CHECKSUM);
        editAfterTheInventory(checksum, moving -> {
            FileTime date = Files.getLastModifiedTime(moving);
            Files.writeString(moving, "as inventoried, 2"); // same size as "as inventoried, 1"
            Files.setLastModifiedTime(moving, date);
        }, "changed");
    }

    private interface Edit {
        void apply(Path file) throws Exception;
    }

    /**
     * Alpha (a: moving.txt, steady.txt) inventories with bravo (empty b) under {@code settings} (null: the
     * defaults), {@code edit} changes moving.txt, then a mirror run: bravo must report moving.txt as failed
     * with {@code reason} and receive only steady.txt.
     */
    private void editAfterTheInventory(org.ciphersync.core.settings.SyncSettings settings, Edit edit, String reason) throws Exception {
        Path a = folder("a", "moving.txt", "as inventoried, 1", "steady.txt", "steady");
        Path b = folder("b");
        try (SessionFixture f = SessionFixture.start(tmp.resolve("fixture"))) {
            SessionClient ca = f.create("alpha", SourceEntry.directory(a.toString()));
            SessionClient cb = f.join(ca, "bravo", SourceEntry.directory(b.toString()));
            for (SessionClient x : List.of(ca, cb)) {
                x.await(v -> v.members().size() == 2 && v.members().stream().allMatch(m -> m.sources().size() == 1), WAIT);
            }
            if (settings != null) {
                ca.changeSettings(settings);
                for (SessionClient x : List.of(ca, cb)) {
                    x.await(v -> v.settings().equals(settings), WAIT);
                }
            }
            ca.startInventory();
            ca.await(v -> ca.comparison().isPresent(), WAIT);
            edit.apply(a.resolve("moving.txt"));

            ca.startSynchronization(Preset.MIRROR);

            cb.await(v -> cb.syncComplete(), WAIT.multipliedBy(3));
            MemberSyncResult rb = cb.syncResults().stream().filter(r -> r.memberId() == cb.memberId()).findFirst().orElseThrow();
            assertThat(rb.failed()).isEqualTo(1);
            assertThat(cb.syncFailures()).singleElement().satisfies(i -> {
                assertThat(i.path()).isEqualTo("moving.txt");
                assertThat(i.reason()).contains(reason);
            });
            assertThat(tree(b)).containsEntry("steady.txt", "steady").doesNotContainKey("moving.txt");
        }
    }

    @Test
    void aFiveMemberTwoWayRun_endsWithIdenticalTrees() throws Exception {
        List<Path> dirs = new java.util.ArrayList<>();
        for (String m : List.of("a", "b", "c", "d", "e")) {
            dirs.add(folder(m, "shared.txt", "same everywhere", "from-" + m + ".txt", "made on " + m));
        }
        try (SessionFixture f = SessionFixture.start(tmp.resolve("fixture"))) {
            List<SessionClient> cs = new java.util.ArrayList<>();
            cs.add(f.create("alpha", SourceEntry.directory(dirs.get(0).toString())));
            for (int i = 1; i < 5; i++) {
                cs.add(f.join(cs.get(0), List.of("bravo", "charlie", "delta", "echo").get(i - 1), SourceEntry.directory(dirs.get(i).toString())));
            }
            for (SessionClient x : cs) {
                x.await(v -> v.members().size() == 5 && v.members().stream().allMatch(m -> m.sources().size() == 1), WAIT);
            }
            org.ciphersync.core.settings.SyncSettings checksum = org.ciphersync.core.settings.SyncSettings.defaults()
                    .withAnalysis(org.ciphersync.core.settings.SyncSettings.AnalysisMode.CHECKSUM);
            cs.get(0).changeSettings(checksum);
            for (SessionClient x : cs) {
                x.await(v -> v.settings().equals(checksum), WAIT);
            }
            cs.get(0).startInventory();
            cs.get(0).await(v -> cs.get(0).comparison().isPresent(), WAIT);
            cs.get(0).startSynchronization(Preset.TWO_WAY);
            for (SessionClient x : cs) {
                try {
                    x.await(v -> x.syncComplete(), WAIT.multipliedBy(3));
                } catch (org.ciphersync.session.SessionException e) {
                    StringBuilder sb = new StringBuilder();
                    for (SessionClient y : cs) {
                        sb.append(y.memberId()).append(": results=").append(y.syncResults()).append(" sync=").append(y.syncProblem())
                                .append(" inv=").append(y.inventoryProblem()).append(" alerts=").append(y.alerts()).append('\n');
                    }
                    throw new AssertionError(sb.toString(), e);
                }
            }
            assertThat(cs.get(0).syncResults()).hasSize(5).allSatisfy(r -> assertThat(r.failed()).isZero());
            java.util.Map<String, String> first = tree(dirs.get(0));
            assertThat(first).hasSize(6);
            for (Path d : dirs) {
                assertThat(tree(d)).isEqualTo(first);
            }
        }
    }

    @Test
    void aMemberThatRequiresConfirmation_keepsWhatItDeclines_andStillGetsNewFiles() throws Exception {
        Path a = folder("a", "new.txt", "new", "changed.txt", "new version");
        Path b = folder("b", "changed.txt", "old version", "stale.txt", "keep me");
        try (SessionFixture f = SessionFixture.start(tmp.resolve("fixture"))) {
            SessionClient ca = f.create("alpha", SourceEntry.directory(a.toString()));
            List<List<org.ciphersync.core.plan.PlannedAction>> asked = new java.util.concurrent.CopyOnWriteArrayList<>();
            SessionClient cb;
            try (org.ciphersync.crypto.secret.Password pw = ca.password()) {
                cb = f.track(SessionClient.join(f.options("bravo", SourceEntry.directory(b.toString())).withApproval(list -> {
                    asked.add(list);
                    return java.util.Set.of();
                }), ca.sessionId(), pw));
            }
            mirrorAllowingFailures(ca, cb);
            assertThat(asked).hasSize(1);
            assertThat(asked.get(0)).extracting(x -> x.targetPath().value()).containsExactlyInAnyOrder("changed.txt", "stale.txt");
            assertThat(tree(b)).containsEntry("new.txt", "new").containsEntry("changed.txt", "old version")
                    .containsEntry("stale.txt", "keep me");
        }
    }

    private static void mirrorAllowingFailures(SessionClient leader, SessionClient... others) throws Exception {
        List<SessionClient> all = new java.util.ArrayList<>(List.of(leader));
        all.addAll(List.of(others));
        for (SessionClient x : all) {
            x.await(v -> v.members().size() == all.size() && v.members().stream().allMatch(m -> m.sources().size() == 1), WAIT);
        }
        leader.startInventory();
        leader.await(v -> leader.comparison().isPresent(), WAIT);
        leader.startSynchronization(Preset.MIRROR);
        for (SessionClient x : all) {
            x.await(v -> x.syncComplete(), WAIT.multipliedBy(3));
        }
    }
}
