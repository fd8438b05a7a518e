/**
 * Cross-cutting behaviour around any backend, composed in one place:
 * {@link org.ciphersync.vault.store.decorator.BlobStores#decorate}.
 *
 * <p>Order, outside in: retry → logging → concurrency limit → bandwidth limit → backend. Retry is
 * outermost so that back-off sleeps hold no connection slot and every attempt is logged and limited
 * like a fresh call; throttling is innermost so that it paces exactly the bytes on the wire.
 *
 * <p>The retry decorator repeats only {@code TRANSIENT} errors, with exponential back-off and
 * jitter; loads restart their reader from the first byte, listings suppress duplicates of objects
 * already reported, saves re-open their {@link org.ciphersync.vault.store.BlobSource}.
 */
package org.ciphersync.vault.store.decorator;
