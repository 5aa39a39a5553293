package org.mailsift.sieve.engine;

/** A Sieve script that does not compile or fails while running; the message names the script and line. */
public class SieveScriptException extends Exception {
    private final String script;

    public SieveScriptException(String script, String message, Throwable cause) {
        super(script + ": " + message, cause);
        this.script = script;
    }

    public String script() {
        return script;
    }
}
