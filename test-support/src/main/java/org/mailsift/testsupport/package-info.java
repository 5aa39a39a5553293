/**
 * test-support: harnesses that start the real peers (Postfix, Dovecot, Redis) on free loopback ports for the tests
 * and stop them.
 */
package org.mailsift.testsupport;
