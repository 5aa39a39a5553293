/**
 * agent: the mailsift command -- the only module that knows every other: CLI commands, the daemon's services,
 * and the wiring that builds scanner, learner and listeners from the configuration.
 */
package org.mailsift.agent;
