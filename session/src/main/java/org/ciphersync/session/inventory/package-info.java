/**
 * The Data Inventory across members (S8, issue 5 part 1): each member scans only its own sources
 * with the core engine, seals its inventories with the group key and uploads them once to the relay
 * for all other members; everyone computes the same comparison from the same inventories (S9).
 * {@link org.ciphersync.session.inventory.InventoryCodec} is the strict, bounded wire form: every
 * path from a peer passes {@link org.ciphersync.core.path.RelPath} validation.
 */
package org.ciphersync.session.inventory;
