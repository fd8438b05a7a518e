/**
 * Strict codecs of what members say to each other: group messages, settings, the join bundle.
 * Everything here arrives from other members through an untrusted relay, so every length is
 * bounded and checked before allocation and the only failure is {@link
 * org.ciphersync.session.wire.WireException} naming the field. Encodings are big-endian, text is
 * u16-length-prefixed UTF-8 without control characters.
 */
package org.ciphersync.session.wire;
