/**
 * imap-watcher: learns from what users do in their mail client -- watches each account over IMAP IDLE, detects
 * moves into and out of Junk, and hands them to the Learner (plus the one-time bootstrap of existing mail).
 */
package org.mailsift.imapwatcher;
