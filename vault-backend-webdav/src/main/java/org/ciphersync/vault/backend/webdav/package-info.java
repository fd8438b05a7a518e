/**
 * The WebDAV backend ({@code webdav://} and {@code webdavs://}) with a small RFC 4918 client on
 * {@code java.net.http}: PUT to a hidden temporary name then MOVE over the target, GET with Range,
 * HEAD (PROPFIND Depth 0 as fallback) for sizes, PROPFIND Depth 1 for listings, MKCOL for folders.
 *
 * <p>PROPFIND bodies are parsed with a streaming SAX parser that refuses DTDs and external entities
 * and caps text values: a hostile server can neither read local files (XXE) nor exhaust memory.
 */
package org.ciphersync.vault.backend.webdav;
