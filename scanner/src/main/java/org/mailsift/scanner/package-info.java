/**
 * scanner: decides a verdict -- runs the rules (and Bayes, DNS lists) over a parsed message, scores symbols with
 * weights and group caps, picks the action and composes the verdict's one ordered list of header edits.
 */
package org.mailsift.scanner;
