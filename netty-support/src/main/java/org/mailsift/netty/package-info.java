/**
 * netty-support: what every netty listener of the daemon shares (the milter and both HTTP workers): binding a
 * {@code bind_socket} ({@link org.mailsift.netty.Listeners}), the connection caps applied at accept
 * ({@link org.mailsift.netty.CappedAccept}) and the graceful drain at stop ({@link org.mailsift.netty.ConnectionDrain}).
 * A library module: it depends on core and netty only, and the feature modules that listen depend on it.
 */
package org.mailsift.netty;
