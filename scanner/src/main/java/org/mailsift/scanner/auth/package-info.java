/**
 * Email authentication: SPF, DKIM, DMARC and ARC checks on incoming mail ({@link org.mailsift.scanner.auth.AuthRule},
 * one async rule adding Rspamd's symbols and the Authentication-Results header) and DKIM signing of outgoing mail
 * ({@link org.mailsift.scanner.auth.DkimSignatureHeader}, a header contributor). Lookups go through the daemon's one
 * resolver ({@link org.mailsift.scanner.auth.ResolverAuthDns}); the crypto is the JDK's RSA and Ed25519.
 */
package org.mailsift.scanner.auth;
