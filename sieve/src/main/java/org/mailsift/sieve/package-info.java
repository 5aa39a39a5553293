/**
 * sieve: local delivery -- the shipped Sieve scripts, the jSieve engine with Dovecot's extensions, delivery into
 * Maildir ({@code mailsift deliver}) and the learn spool the Sieve learn helper writes when the daemon is away.
 */
package org.mailsift.sieve;
