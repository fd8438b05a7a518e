/**
 * {@code ciphersync session start|join}: the terminal front of {@code org.ciphersync.session}. Passwords
 * come from the terminal without echo or from {@code --password-file}, never from arguments or the
 * environment; {@code --json} prints one event object per line for scripts.
 */
package org.ciphersync.cli.session;
