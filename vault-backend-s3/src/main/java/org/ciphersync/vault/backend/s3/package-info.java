/**
 * The S3 backend ({@code s3://bucket/prefix}) on a slimmed AWS SDK v2 (URL-connection HTTP client
 * only; no Netty, no Apache client).
 *
 * <p>A PUT or a completed multipart upload is atomic in S3, so saves need no temporary names;
 * objects larger than the part size (default 16 MiB) are uploaded in parts, and an interrupted
 * multipart upload is aborted (and is invisible even when the abort cannot be sent). The SDK's
 * newer default checksum headers and {@code Expect: 100-continue} are switched off for
 * compatibility with S3-compatible servers.
 */
package org.ciphersync.vault.backend.s3;
