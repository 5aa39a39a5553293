package org.mailsift.agent;

import java.io.IOException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.Optional;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;
import org.apache.commons.cli.help.HelpFormatter;
import org.apache.commons.cli.help.TextHelpAppendable;
import org.mailsift.agent.cli.CliCommand;
import org.mailsift.agent.cli.Commands;
import org.mailsift.core.config.ConfigException;

/**
 * {@code mailsift <command> [options]}: picks the command from {@link Commands}, parses its options, runs it.
 * This is the CLI's edge: any exception becomes one line {@code mailsift: <message>} on stderr and exit 1
 * (a configuration error's message starts with file:line:column); usage errors exit 2.
 */
public final class Main {
    public static final int EXIT_OK = 0;
    public static final int EXIT_FAILURE = 1;
    public static final int EXIT_USAGE = 2;

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(run(args, CliCommand.Io.system()));
    }

    /** Runs one command line and returns the exit code (tests call this directly). */
    public static int run(String[] args, CliCommand.Io io) {
        if (args.length == 0) {
            printUsage(io.err());
            return EXIT_USAGE;
        }
        String name = args[0];
        if (name.equals("--help") || name.equals("-h") || name.equals("help")) {
            printUsage(io.out());
            return EXIT_OK;
        }
        Optional<CliCommand> command = Commands.find(name);
        if (command.isEmpty()) {
            io.err().println("mailsift: unknown command '" + name + "'");
            printUsage(io.err());
            return EXIT_USAGE;
        }
        return run(command.get(), Arrays.copyOfRange(args, 1, args.length), io);
    }

    private static int run(CliCommand command, String[] args, CliCommand.Io io) {
        Options options = optionsOf(command);
        CommandLine line;
        try {
            line = DefaultParser.builder().get().parse(options, args);
        } catch (ParseException e) {
            io.err().println("mailsift " + command.name() + ": " + e.getMessage());
            io.err().println("Run 'mailsift " + command.name() + " --help' for its options.");
            return EXIT_USAGE;
        }
        if (line.hasOption("help")) {
            printCommandHelp(command, io.out());
            return EXIT_OK;
        }
        try {
            return command.run(line, io);
        } catch (ConfigException e) {
            io.err().println("mailsift: " + e.getMessage());
            return EXIT_FAILURE;
        } catch (Exception e) {
            io.err().println("mailsift: " + describe(e));
            return EXIT_FAILURE;
        }
    }

    /** The command's own options plus -c/--dbdir when it reads the configuration, plus -h always. */
    public static Options optionsOf(CliCommand command) {
        Options options = new Options();
        command.options().getOptions().forEach(options::addOption);
        if (command.usesConfig()) {
            Commands.commonOptions().getOptions().forEach(o -> {
                if (!options.hasOption(o.getLongOpt())) {
                    options.addOption(o);
                }
            });
        }
        if (!options.hasOption("help")) {
            options.addOption(Option.builder("h").longOpt("help").desc("show this help").get());
        }
        return options;
    }

    static void printUsage(PrintStream out) {
        out.println("usage: mailsift <command> [options] [arguments]");
        out.println();
        out.println("Commands:");
        int width = Commands.all().stream().mapToInt(c -> c.name().length()).max().orElse(8);
        for (CliCommand c : Commands.all()) {
            out.printf("  %-" + width + "s  %s%n", c.name(), c.summary());
        }
        out.println();
        out.println("Run 'mailsift <command> --help' for the options of a command.");
    }

    static void printCommandHelp(CliCommand command, PrintStream out) {
        Options options = optionsOf(command);
        HelpFormatter formatter = HelpFormatter.builder().setShowSince(false)
                .setHelpAppendable(new TextHelpAppendable(out)).get();
        String syntax = "mailsift " + command.name() + " " + formatter.toSyntaxOptions(options)
                + (command.argumentsSyntax().isEmpty() ? "" : " " + command.argumentsSyntax());
        try {
            formatter.printHelp(syntax, command.summary(), options, "", false);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        out.flush();
    }

    /** One line: the message, or the exception type when there is none; the cause's message when it helps. */
    private static String describe(Throwable e) {
        String message = e.getMessage();
        if (message == null || message.isBlank()) {
            message = e.getClass().getSimpleName();
        }
        Throwable cause = e.getCause();
        if (cause != null && cause.getMessage() != null && !message.contains(cause.getMessage())) {
            message += ": " + cause.getMessage();
        }
        return message.replace('\n', ' ');
    }
}
