package org.mailsift.agent.cli;

import java.io.InputStream;
import java.io.PrintStream;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Options;

/** One `mailsift <name>` command. Implementations are registered in {@link Commands}. */
public interface CliCommand {
    /** The word after `mailsift`, e.g. "run", "scan", "learn-spam". */
    String name();

    /** One line for `mailsift --help`. */
    String summary();

    /** Positional arguments for the usage line, e.g. "FILE...|DIR|-" (empty when none). */
    default String argumentsSyntax() {
        return "";
    }

    /** Options; `-c/--config` and `--dbdir` are added by {@link Commands#commonOptions()} when {@link #usesConfig()}. */
    Options options();

    default boolean usesConfig() {
        return true;
    }

    /** Runs the command; returns the process exit code. Exceptions are turned into one error line and exit 1 by Main. */
    int run(CommandLine line, Io io) throws Exception;

    /** The process streams, injectable for tests. */
    record Io(InputStream in, PrintStream out, PrintStream err) {
        public static Io system() {
            return new Io(System.in, System.out, System.err);
        }
    }
}
