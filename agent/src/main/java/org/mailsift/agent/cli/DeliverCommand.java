package org.mailsift.agent.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.mailsift.agent.AgentContext;
import org.mailsift.core.message.VerdictSeal;
import org.mailsift.core.scan.MessageScanner;
import org.mailsift.core.scan.ScanListener;
import org.mailsift.sieve.deliver.DeliverSettings;
import org.mailsift.sieve.deliver.DeliveryRequest;
import org.mailsift.sieve.deliver.DeliveryResult;
import org.mailsift.sieve.deliver.LocalDelivery;
import org.mailsift.sieve.engine.SieveEngine;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code mailsift deliver -d USER}: local delivery agent for Postfix's mailbox_command or a pipe transport. Reads
 * the message on stdin, scans it (unless our milter's {@link VerdictSeal} verifies), runs spam-to-junk.sieve and the
 * user's Sieve script, writes Maildir++.
 * Exit codes follow sysexits so the MTA does the right thing: 0 delivered (or discarded by the script),
 * 67 EX_NOUSER unknown user (bounce), 77 EX_NOPERM rejected by the script (bounce with the reason),
 * 75 EX_TEMPFAIL anything transient (retry later; nothing is lost), 64 EX_USAGE bad arguments.
 */
public final class DeliverCommand implements CliCommand {
    private static final Logger LOG = LoggerFactory.getLogger(DeliverCommand.class);
    static final int EX_OK = 0;
    static final int EX_USAGE = 64;
    static final int EX_NOUSER = 67;
    static final int EX_TEMPFAIL = 75;
    static final int EX_NOPERM = 77;

    @Override
    public String name() {
        return "deliver";
    }

    @Override
    public String summary() {
        return "deliver a message from stdin into a user's Maildir, running Sieve (for Postfix mailbox_command)";
    }

    @Override
    public Options options() {
        Options o = new Options();
        o.addOption(Option.builder("d").hasArg().argName("USER").desc("recipient user (user or user@domain)").get());
        o.addOption(Option.builder("m").hasArg().argName("MAILBOX").desc("mailbox for keep (default INBOX)").get());
        o.addOption(Option.builder("f").hasArg().argName("SENDER").desc("envelope sender (\"\" or <> for the null sender)").get());
        o.addOption(Option.builder().longOpt("maildir").hasArg().argName("PATH").desc("Maildir to deliver to (overrides deliver.conf)").get());
        o.addOption(Option.builder().longOpt("sieve").hasArg().argName("FILE").desc("user Sieve script (overrides deliver.conf)").get());
        return o;
    }

    @Override
    public int run(CommandLine line, Io io) {
        String user = line.getOptionValue("d");
        if (user == null || user.isBlank()) {
            io.err().println("mailsift deliver: -d USER is required");
            return EX_USAGE;
        }
        try (AgentContext context = ContextLoader.open(line)) {
            context.scansOnly(true); // while the daemon holds the embedded store: read it, do not scan without Bayes
            byte[] message = io.in().readAllBytes();
            DeliverSettings settings = DeliverSettings.from(context.config().section("deliver"), context.dataDir(), context.config()::warn);
            MessageScanner scanner = (raw, envelope) -> context.scanner(ScanListener.ScanSource.DELIVER).scan(raw, envelope);
            LocalDelivery delivery = new LocalDelivery(settings, new SieveEngine(), scanner,
                    verdictSeal(context), Path.of("/etc/passwd"));
            String sender = line.getOptionValue("f");
            if ("<>".equals(sender)) {
                sender = "";
            }
            DeliveryResult result = delivery.deliver(new DeliveryRequest(user, line.getOptionValue("m"), sender,
                    path(line.getOptionValue("maildir")), path(line.getOptionValue("sieve")), message));
            return switch (result.status()) {
                case DELIVERED, DISCARDED -> EX_OK;
                case NO_USER -> {
                    io.err().println("mailsift deliver: unknown user " + user);
                    yield EX_NOUSER;
                }
                case REJECTED -> {
                    io.err().println(result.rejectReason());
                    yield EX_NOPERM;
                }
            };
        } catch (Exception e) {
            // disk full, store down, broken configuration...: the MTA keeps the message and retries
            io.err().println("mailsift deliver: temporary failure for " + user + ": " + e);
            return EX_TEMPFAIL;
        }
    }

    /**
     * The key that verifies our milter's seals: the daemon's, when deliver runs with the same data dir as a user who
     * may read it (created here when the daemon has not made one yet). Without it every message is scanned.
     */
    private static VerdictSeal verdictSeal(AgentContext context) {
        try {
            return VerdictSeal.open(context.dataDir());
        } catch (IOException e) {
            LOG.debug("no verdict seal key, scanning every message: {}", e.toString());
            return null;
        }
    }

    private static Path path(String s) {
        return s == null ? null : Path.of(s);
    }

    static List<Integer> exitCodes() {
        return List.of(EX_OK, EX_USAGE, EX_NOUSER, EX_TEMPFAIL, EX_NOPERM);
    }
}
