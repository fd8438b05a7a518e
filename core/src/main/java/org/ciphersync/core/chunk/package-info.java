/**
 * Content-defined chunking and content fingerprints.
 *
 * <p>Why: sessions and the vault move only chunks the other side lacks. Cutting at positions
 * chosen by the content (not by offset) means an insertion or deletion shifts only the chunks
 * around it; every later boundary resynchronizes, so an edit costs a few chunks, not the rest of
 * the file.
 *
 * <p>Algorithm ({@link org.ciphersync.core.chunk.FastCdc}): FastCDC with normalized chunking
 * level 2. A 64-bit gear hash {@code h = (h << 1) + GEAR[b]} rolls over the bytes after the
 * first {@code minSize} of a chunk; a cut is made after a byte where the top
 * {@code log2(avg) + 2} bits of {@code h} are zero before offset {@code avgSize}, or the top
 * {@code log2(avg) - 2} bits after it; chunks never exceed {@code maxSize}. The gear table is
 * SplitMix64 seeded with {@code 0x6369706865727379} ("ciphersy").
 *
 * <p>Invariants (pinned by golden vectors and property tests): chunks concatenate to the input;
 * every chunk but the last is within {@code [minSize, maxSize]}; boundaries are a pure function
 * of the bytes (independent of how the stream is read); the file hash is SHA-256 over the
 * concatenated SHA-256 chunk hashes. Changing the table, masks or
 * {@link org.ciphersync.core.chunk.ChunkerParams} is a format change.
 *
 * <p>{@link org.ciphersync.core.chunk.Fingerprinter} reads a stream once into a reusable buffer
 * of at least {@code 2 × maxSize} and hands chunks to an optional
 * {@link org.ciphersync.core.chunk.ChunkSink} (the vault's encrypt-and-store path).
 */
package org.ciphersync.core.chunk;
