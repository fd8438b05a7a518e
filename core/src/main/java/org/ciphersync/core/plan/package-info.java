/**
 * Rules, actions and plans (S10): from a {@link org.ciphersync.core.compare.Comparison} to a list
 * of concrete {@link org.ciphersync.core.plan.PlannedAction}s, as pure functions on values.
 *
 * <p>Two planners. {@link org.ciphersync.core.plan.RulePlanner} evaluates
 * {@link org.ciphersync.core.plan.Rule}s (conditions on content, date, size, presence, name and
 * type, combined by all/any; {@code *} = each node the rule does not name) and lets every rule
 * that holds contribute; the presets mirror and update are rule sets
 * ({@link org.ciphersync.core.plan.RuleSet}). {@link org.ciphersync.core.plan.TwoWayPlanner}
 * compares each node with its last-synchronized state and resolves concurrent changes as
 * conflicts that keep every version. In both, {@link org.ciphersync.core.plan.TargetedAction}s
 * replace the decisions for their item, and actions that would change nothing are dropped, so a
 * second run after a complete apply plans nothing.
 *
 * <p>Every planned action carries what the apply must re-check: the source entry as inventoried
 * and the target entry expected (or its absence). Items a scan skipped on any node (unreadable,
 * colliding names, links), and everything below a skipped directory, are left alone and listed.
 *
 * <p>{@link org.ciphersync.core.plan.ConsistencyChecker} refuses plans in which actions contradict
 * each other (two writers of one item, deleting a copy source, writing into a folder being deleted,
 * a directory copied onto a file, writing below a file that stays one), with a reason per item;
 * {@link org.ciphersync.core.plan.SafetyGuards} refuse deleting from a node while another is
 * empty, and mass deletions. Refusals are {@link org.ciphersync.core.plan.SyncRefusedException}s
 * with a {@link org.ciphersync.core.plan.SyncRefusedException.Reason} the CLI maps to exit codes.
 */
package org.ciphersync.core.plan;
