package org.mailsift.core.config;

/** A configuration error; the message always starts with file:line:column. */
public class ConfigException extends RuntimeException {
    private final Position position;

    public ConfigException(Position position, String message) {
        super(position + ": " + message);
        this.position = position;
    }

    public Position position() {
        return position;
    }
}
