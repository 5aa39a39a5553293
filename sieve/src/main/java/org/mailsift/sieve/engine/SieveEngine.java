package org.mailsift.sieve.engine;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.jsieve.CommandManager;
import org.apache.jsieve.ComparatorManager;
import org.apache.jsieve.ConfigurationManager;
import org.apache.jsieve.SieveParserVisitorImpl;
import org.apache.jsieve.SieveValidationVisitor;
import org.apache.jsieve.TestManager;
import org.apache.jsieve.BaseSieveContext;
import org.apache.jsieve.SieveConfigurationException;
import org.apache.jsieve.exception.SieveException;
import org.apache.jsieve.exception.StopException;
import org.apache.jsieve.parser.generated.ASTcommands;
import org.apache.jsieve.parser.generated.ParseException;
import org.apache.jsieve.parser.generated.SieveParser;
import org.apache.jsieve.parser.generated.SimpleNode;
import org.mailsift.sieve.engine.ext.Extensions;

/**
 * Apache jSieve 0.8 with our extensions registered (mailbox, special-use, imap4flags, copy, variables, relational,
 * regex, spamtest/spamtestplus, body, envelope, reject/ereject). Compiles scripts into {@link CompiledScript} and
 * runs them against a {@link SieveMail}, returning the collected actions.
 * Parsing and evaluation are done here rather than through {@code SieveFactory}, which logs every script error at
 * ERROR with a stack trace; we turn errors into one {@link SieveScriptException} naming the script and line.
 * Thread-safe: compiled scripts can be shared, each run gets its own context.
 */
public final class SieveEngine {
    private final CommandManager commands;
    private final ComparatorManager comparators;
    private final TestManager tests;

    public SieveEngine() {
        try {
            ConfigurationManager config = new ConfigurationManager();
            Extensions.register(config);
            commands = config.getCommandManager();
            comparators = config.getComparatorManager();
            tests = config.getTestManager();
        } catch (SieveConfigurationException e) {
            throw new IllegalStateException("jSieve configuration is broken", e);
        }
    }

    public CompiledScript compile(Path file) throws SieveScriptException, IOException {
        return compile(file.toString(), Files.readAllBytes(file));
    }

    public CompiledScript compile(String name, String script) throws SieveScriptException {
        return compile(name, script.getBytes(StandardCharsets.UTF_8));
    }

    public CompiledScript compile(String name, byte[] script) throws SieveScriptException {
        try (InputStream in = new ByteArrayInputStream(script)) {
            SimpleNode node = new SieveParser(in, "UTF-8").start();
            node.jjtAccept(new Validator(commands, tests, comparators), null);
            return new CompiledScript(name, node);
        } catch (ParseException e) {
            throw new SieveScriptException(name, firstLine(e.getMessage()), e);
        } catch (SieveException e) {
            throw new SieveScriptException(name, e.getMessage(), e);
        } catch (IOException e) {
            throw new IllegalStateException(e); // reading a byte array
        } catch (RuntimeException e) {
            // the generated token manager throws TokenMgrError (an Error) and sometimes runtime exceptions
            throw new SieveScriptException(name, String.valueOf(e.getMessage()), e);
        } catch (Error e) {
            if (e.getClass().getSimpleName().equals("TokenMgrError")) {
                throw new SieveScriptException(name, firstLine(e.getMessage()), e);
            }
            throw e;
        }
    }

    /** Runs a script against one message; the mail adapter must be fresh for each run. */
    public SieveRun run(CompiledScript script, SieveMail mail) throws SieveScriptException {
        BaseSieveContext context = new BaseSieveContext(commands, comparators, tests);
        mail.setContext(context);
        try {
            try {
                script.node().jjtAccept(new SieveParserVisitorImpl(context), mail);
            } catch (StopException stop) {
                // stop ends the script normally
            }
            return new SieveRun(mail.getActions(), context.getCommandStateManager().isImplicitKeep(), mail.flags(), mail.stopped());
        } catch (SieveException | RuntimeException e) {
            throw new SieveScriptException(script.name(), String.valueOf(e.getMessage()), e);
        } finally {
            mail.setContext(null);
        }
    }

    private static String firstLine(String s) {
        if (s == null) {
            return "syntax error";
        }
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl).trim();
    }

    /** jSieve's validation visitor (its constructor is protected). */
    private static final class Validator extends SieveValidationVisitor {
        Validator(CommandManager commands, TestManager tests, ComparatorManager comparators) {
            super(commands, tests, comparators);
        }

        /**
         * jSieve forgets the comparators declared by require whenever it enters a block, so
         * {@code if header :comparator "i;ascii-numeric" ... { ... }} failed validation; the declarations are
         * script-wide (RFC 5228 2.10.5), so blocks keep them.
         */
        @Override
        public Object visit(ASTcommands node, Object data) throws SieveException {
            node.childrenAccept(this, new java.util.ArrayList<>(node.jjtGetNumChildren()));
            return data;
        }
    }
}
