package org.mailsift.scanner.rules;

/** A symbol a rule can insert, with its defaults (weights may be overridden by configuration). */
public record SymbolDefinition(String name, String group, double weight, String description) {
}
