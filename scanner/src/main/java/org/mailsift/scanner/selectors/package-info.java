/**
 * Rspamd's selector language: {@link org.mailsift.scanner.selectors.Selector#parse} compiles a selector such as
 * {@code from('smtp'):domain.lower} or {@code id('rl');user;ip.ipmask(24)}, and
 * {@link org.mailsift.scanner.selectors.Selector#combine} / {@link org.mailsift.scanner.selectors.Selector#flatten}
 * evaluate it on a {@link org.mailsift.scanner.selectors.SelectorInput} (the message and its envelope). Used by the
 * policy modules that take selectors (ratelimit, multimap's {@code selector} maps, settings).
 */
package org.mailsift.scanner.selectors;
