/**
 * The local profile (machine name, e-mail label, identity keys) created on first use; the identity
 * private keys never leave this directory, the public half goes into the member profile the relay
 * shows and into the PAKE transcript.
 */
package org.ciphersync.session.profile;
