package org.ciphersync.session.client;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.ciphersync.core.compare.Comparison;
import org.ciphersync.core.plan.Plan;
import org.ciphersync.core.plan.RulePlanner;
import org.ciphersync.core.plan.RuleSet;
import org.ciphersync.core.plan.RulesFile;
import org.ciphersync.core.plan.SyncRefusedException;
import org.ciphersync.core.plan.TwoWayPlanner;
import org.ciphersync.core.settings.SyncSettings;
import org.ciphersync.core.state.NodeState;
import org.ciphersync.session.PlanRefusedException;
import org.ciphersync.session.wire.GroupMessage;
import org.ciphersync.session.wire.WireWriter;

/**
 * What the leader chose to plan a synchronization with (S10): a preset, or a rules file (rules and
 * targeted actions, in the format of {@code ciphersync local --rules}, parsed by core's
 * {@link RulesFile}). Every member computes the same plan from it and the comparison. In a session, rules
 * name nodes as the comparison does: the member's letter and the source's number ({@code A1}, {@code B2}).
 *
 * <p>In the leader's START_SYNCHRONIZATION order:
 * {@code u64 run ‖ u8 choice (0 mirror, 1 update, 2 two-way, 3 rules) ‖ 32 B comparison digest ‖ rules file bytes (choice 3)}.
 *
 * @param preset the preset, or null for a rules file
 * @param rules  the rules file's bytes (null for a preset)
 */
public record PlanChoice(Preset preset, byte[] rules) {
    /** Largest rules file a session order can carry. */
    public static final int MAX_RULES_BYTES = GroupMessage.LeaderOrder.MAX_BODY - 8 - 1 - 32;
    private static final int RULES = 3;

    public PlanChoice {
        if ((preset == null) == (rules == null)) {
            throw new IllegalArgumentException("a plan uses either a preset or a rules file");
        }
        rules = rules == null ? null : rules.clone();
    }

    public static PlanChoice of(Preset preset) {
        return new PlanChoice(Objects.requireNonNull(preset, "preset == null"), null);
    }

    /**
     * A rules file's content, checked with the engine's parser.
     *
     * @throws IllegalArgumentException when the file is too large for a session or not a valid rules file
     *                                  (the message names the rule and field)
     */
    public static PlanChoice rules(byte[] json, String source) {
        if (json.length > MAX_RULES_BYTES) {
            throw new IllegalArgumentException(source + " has " + json.length + " bytes; a session carries rules files of at most "
                    + MAX_RULES_BYTES + " bytes");
        }
        RulesFile.parse(json, source);
        return new PlanChoice(null, json);
    }

    @Override
    public byte[] rules() {
        return rules == null ? null : rules.clone();
    }

    /** Whether the plan is the two-way preset (it uses the nodes' stored states). */
    public boolean twoWay() {
        return preset == Preset.TWO_WAY;
    }

    /**
     * Computes the plan on {@code comparison} and runs the consistency checker.
     *
     * @param bases the nodes' last-synchronized states (two-way), by node id
     * @throws PlanRefusedException "the plan was refused: …" with the checker's or the rules' reasons
     */
    public Plan plan(Comparison comparison, SyncSettings settings, Map<String, NodeState> bases) throws PlanRefusedException {
        try {
            String first = comparison.nodeIds().getFirst();
            Plan plan = preset == null
                    ? RulePlanner.plan(comparison, settings, RulesFile.parse(rules, "the leader's rules file"))
                    : switch (preset) {
                        case MIRROR -> RulePlanner.plan(comparison, settings, RuleSet.mirror(first));
                        case UPDATE -> RulePlanner.plan(comparison, settings, RuleSet.update(first));
                        case TWO_WAY -> TwoWayPlanner.plan(comparison, settings, bases, List.of());
                    };
            return plan.requireConsistent();
        } catch (SyncRefusedException | IllegalArgumentException e) {
            throw new PlanRefusedException("the plan was refused: " + e.getMessage());
        }
    }

    /**
     * Local synchronization's safety guards on the leader's plan, with their defaults (core's
     * {@code SafetyGuards}: no deletes while a node is empty and another is not; no more than half of a
     * node's items deleted, from 10 items on).
     *
     * @throws PlanRefusedException naming {@code --force}, which overrides them
     */
    static void guard(Plan plan, List<org.ciphersync.core.inventory.NodeInventory> inventories) throws PlanRefusedException {
        try {
            org.ciphersync.core.plan.SafetyGuards.check(plan, inventories, org.ciphersync.core.local.LocalSyncOptions.DEFAULT_MAX_DELETE_SHARE,
                    org.ciphersync.core.local.LocalSyncOptions.DEFAULT_MIN_DELETE_ITEMS);
        } catch (SyncRefusedException e) {
            throw new PlanRefusedException("the plan was refused: " + e.getMessage());
        }
    }

    /** The body of the leader's START_SYNCHRONIZATION order. */
    byte[] orderBody(long runId, byte[] comparisonDigest) {
        WireWriter w = new WireWriter().u64(runId).u8(preset == null ? RULES : preset.ordinal()).raw(comparisonDigest);
        return preset == null ? w.raw(rules).toByteArray() : w.toByteArray();
    }

    /** A START_SYNCHRONIZATION body taken apart: the run, the choice and the digest it was ordered on. */
    record Order(long runId, PlanChoice choice, byte[] digest) {
    }

    /** Parses an order body; null when it is malformed (wrong length, unknown choice, invalid rules). */
    static Order parseOrder(byte[] b) {
        if (b.length < 8 + 1 + 32) {
            return null;
        }
        int c = b[8] & 0xff;
        if (c > RULES || (c < RULES && b.length != 41)) {
            return null;
        }
        PlanChoice choice;
        try {
            choice = c == RULES ? rules(Arrays.copyOfRange(b, 41, b.length), "the leader's rules file") : of(Preset.values()[c]);
        } catch (IllegalArgumentException e) {
            return null;
        }
        return new Order(ByteBuffer.wrap(b).getLong(), choice, Arrays.copyOfRange(b, 9, 41));
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PlanChoice p && preset == p.preset && Arrays.equals(rules, p.rules);
    }

    @Override
    public int hashCode() {
        return Objects.hash(preset) * 31 + Arrays.hashCode(rules);
    }

    @Override
    public String toString() {
        return preset != null ? preset.name().toLowerCase(java.util.Locale.ROOT) : "rules file (" + rules.length + " bytes)";
    }
}
