/**
 * What the engine keeps on each data node between runs, under {@code .ciphersync/} at the node's
 * root ({@link org.ciphersync.core.state.EngineArea}), which is never synchronized.
 *
 * <p>Two-way synchronization needs to know, per item, what each node looked like when the set of
 * nodes was last in agreement: a node whose item differs from that base changed it; two nodes
 * changing it differently is a conflict. Each node stores its own base ({@link
 * org.ciphersync.core.state.NodeState}: path → type, size, mtime, file hash) in
 * {@code .ciphersync/state/<node set id>.json}, where the node set id hashes the sorted root
 * descriptions ({@link org.ciphersync.core.state.NodeSetId}).
 *
 * <p>Invariants: a state file is replaced atomically; a missing or damaged state means "no base",
 * which makes every present item new and can only produce copies and conflicts, never deletions;
 * after a run an item's base is advanced only when every action on it succeeded on every node.
 */
package org.ciphersync.core.state;
