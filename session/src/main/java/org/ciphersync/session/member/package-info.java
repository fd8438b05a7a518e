/**
 * Member blocks (S6) and data sources: values only. A block merges relay facts (letter, address,
 * status, online) with what the group channel authenticated (identity, sources); a member's
 * sources are edited by that member alone.
 */
package org.ciphersync.session.member;
