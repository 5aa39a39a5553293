package org.mailsift.core.config;

/** Where a configuration value was written: file, 1-based line and column. */
public record Position(String file, int line, int column) {
    public static final Position BUILTIN = new Position("<built-in>", 0, 0);

    @Override
    public String toString() {
        return file + ":" + line + ":" + column;
    }
}
