/**
 * File content between members (S11): each file that other members need is read once on its
 * source member, cut into parts, compressed when that pays, sealed with the group key and its place,
 * uploaded once for all recipients (fan-out), and assembled by each recipient into its staging area
 * before the core {@code Applier} writes it atomically (temporary name, hash check, rename, old
 * version kept).
 */
package org.ciphersync.session.transfer;
