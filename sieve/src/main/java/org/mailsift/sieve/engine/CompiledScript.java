package org.mailsift.sieve.engine;

import org.apache.jsieve.parser.generated.Node;

/** A parsed and validated script; {@code name} (a file path or "builtin:spam-to-junk.sieve") is used in logs. */
public record CompiledScript(String name, Node node) {
}
