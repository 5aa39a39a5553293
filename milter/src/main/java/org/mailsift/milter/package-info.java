/**
 * milter: speaks the milter protocol to the MTA -- frames and commands (codec), one conversation per connection
 * (session), and the translation of a verdict's header edits into indexed milter replies plus one final reply.
 * It never decides a header itself.
 */
package org.mailsift.milter;
