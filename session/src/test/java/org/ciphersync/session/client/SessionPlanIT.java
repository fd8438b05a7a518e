package org.ciphersync.session.client;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.ciphersync.session.client.SessionFixture.WAIT;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.ciphersync.session.PlanRefusedException;
import org.ciphersync.session.member.SourceEntry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 5, the plan: rules files in a session, and two-way state kept from one session to the next. */
class SessionPlanIT {
    @TempDir
    Path tmp;

    private static void write(Path file, String content, long epochSecond) throws Exception {
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
        Files.setLastModifiedTime(file, FileTime.from(Instant.ofEpochSecond(epochSecond)));
    }

    /** Alpha (leader, {@code a}) and bravo ({@code b}) in a new session, with the comparison done on both. */
    private static List<SessionClient> compared(SessionFixture f, Path a, Path b) throws Exception {
        SessionClient ca = f.create("alpha", SourceEntry.directory(a.toString()));
        SessionClient cb = f.join(ca, "bravo", SourceEntry.directory(b.toString()));
        for (SessionClient x : List.of(ca, cb)) {
            x.await(v -> v.members().size() == 2 && v.members().stream().allMatch(m -> m.sources().size() == 1 && m.authenticated()), WAIT);
        }
        ca.startInventory();
        for (SessionClient x : List.of(ca, cb)) {
            x.await(v -> x.comparison().isPresent(), WAIT);
        }
        return List.of(ca, cb);
    }

    /** One session of alpha and bravo that inventories and synchronizes with {@code plan}. */
    private static void session(Path fixtureDir, Path a, Path b, PlanChoice plan) throws Exception {
        try (SessionFixture f = SessionFixture.start(fixtureDir)) {
            List<SessionClient> both = compared(f, a, b);
            SessionClient ca = both.get(0);
            SessionClient cb = both.get(1);
            ca.startSynchronization(plan);
            for (SessionClient x : List.of(ca, cb)) {
                x.await(v -> x.syncComplete(), WAIT.multipliedBy(3));
                assertThat(x.syncProblem()).isNull();
            }
            assertThat(ca.syncResults()).allSatisfy(r -> assertThat(r.failed()).as(r.toString()).isZero());
        }
    }

    @Test
    void aSecondTwoWaySession_propagatesDeletesAndKeepsBothSidesOfAConflict_fromTheStateTheFirstStored() throws Exception {
        Path a = Files.createDirectories(tmp.resolve("a"));
        Path b = Files.createDirectories(tmp.resolve("b"));
        write(a.resolve("keep.txt"), "same", 1_700_000_000);
        write(a.resolve("gone.txt"), "delete me", 1_700_000_000);
        write(a.resolve("edit.txt"), "v1", 1_700_000_000);
        write(a.resolve("clash.txt"), "base", 1_700_000_000);
        Path fixture = tmp.resolve("fixture");

        session(fixture, a, b, PlanChoice.of(Preset.TWO_WAY));
        assertThat(SessionInventoryIT.tree(b)).isEqualTo(SessionInventoryIT.tree(a));
        for (Path root : List.of(a, b)) {
            try (java.util.stream.Stream<Path> s = Files.list(root.resolve(".ciphersync/state"))) {
                assertThat(s.toList()).as("the two-way state stored on " + root).hasSize(1);
            }
        }

        Files.delete(a.resolve("gone.txt"));
        write(b.resolve("edit.txt"), "v2 from B", 1_700_000_100);
        write(a.resolve("clash.txt"), "A's version", 1_700_000_200);
        write(b.resolve("clash.txt"), "B's version, newer", 1_700_000_300);

        session(fixture, a, b, PlanChoice.of(Preset.TWO_WAY));
        Map<String, String> ta = SessionInventoryIT.tree(a);
        assertThat(SessionInventoryIT.tree(b)).isEqualTo(ta);
        assertThat(ta).as("deleted on A since the first session: deleted on B, not brought back").doesNotContainKey("gone.txt");
        assertThat(ta).containsEntry("edit.txt", "v2 from B").containsEntry("keep.txt", "same")
                .containsEntry("clash.txt", "B's version, newer");
        assertThat(ta.keySet()).as("B's edit is an update, not a conflict: the base says A did not touch it").noneMatch(k -> k.startsWith("edit.conflict"));
        assertThat(ta.entrySet()).as("the losing side of the conflict is kept as a conflict copy")
                .anyMatch(e -> e.getKey().startsWith("clash.conflict-") && e.getValue().equals("A's version"));
    }

    @Test
    void aRulesFile_plansTheSession_andOneThatNamesAnUnknownNode_isRefusedBeforeAnythingIsOrdered() throws Exception {
        Path a = Files.createDirectories(tmp.resolve("a"));
        Path b = Files.createDirectories(tmp.resolve("b"));
        write(a.resolve("report.txt"), "from A", 1_700_000_000);
        write(a.resolve("skip.log"), "not this", 1_700_000_000);
        String rules = """
                {"format": 1, "rules": [
                  {"name": "text to B", "match": "all",
                   "when": [{"subject": "name", "op": "matches", "value": "*.txt"}, {"subject": "presence", "node": "B1", "op": "not_exists_on"}],
                   "then": [{"action": "copy", "from": "A1", "to": "B1"}]}]}
                """;
        try (SessionFixture f = SessionFixture.start(tmp.resolve("fixture"))) {
            List<SessionClient> both = compared(f, a, b);
            SessionClient ca = both.get(0);
            SessionClient cb = both.get(1);

            PlanChoice unknownNode = PlanChoice.rules(rules.replace("\"B1\"", "\"Z1\"").getBytes(StandardCharsets.UTF_8), "rules");
            assertThatThrownBy(() -> ca.startSynchronization(unknownNode)).isInstanceOf(PlanRefusedException.class)
                    .hasMessageContaining("Z1");
            assertThat(ca.view().run()).isNotEqualTo(RunState.SYNCHRONIZATION);
            assertThat(f.events.getOrDefault("bravo", List.of())).as("nothing was ordered")
                    .noneMatch(e -> e instanceof SessionEvent.OrderCarriedOut o
                            && o.kind() == org.ciphersync.relay.protocol.message.Message.LeaderCommand.Kind.START_SYNCHRONIZATION);

            ca.startSynchronization(PlanChoice.rules(rules.getBytes(StandardCharsets.UTF_8), "rules"));
            for (SessionClient x : List.of(ca, cb)) {
                x.await(v -> x.syncComplete(), WAIT.multipliedBy(3));
            }
            assertThat(SessionInventoryIT.tree(b)).containsOnlyKeys("report.txt");
        }
    }
}
