/**
 * dns: the daemon's one asynchronous DNS resolver (netty), shared by every check that asks DNS (DNS lists,
 * authentication), each message bounded by its budget.
 */
package org.mailsift.dns;
