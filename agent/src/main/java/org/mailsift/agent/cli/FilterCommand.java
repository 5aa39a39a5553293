package org.mailsift.agent.cli;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.mailsift.agent.AgentContext;
import org.mailsift.core.message.Envelope;
import org.mailsift.core.message.HeaderRewriter;
import org.mailsift.core.scan.ScanListener;
import org.mailsift.core.scan.ScanResult;

/**
 * {@code mailsift filter}: message on stdin, the same message with our verdict headers (X-Spam, X-Spamd-Result...)
 * on stdout, for Dovecot's {@code vnd.dovecot.filter} (sieve_extprograms). Exit 75 when the scan fails; Dovecot
 * then keeps the unfiltered message and logs the error.
 */
public final class FilterCommand implements CliCommand {
    @Override
    public String name() {
        return "filter";
    }

    @Override
    public String summary() {
        return "scan a message from stdin and print it with the spam headers (for Sieve vnd.dovecot.filter)";
    }

    @Override
    public Options options() {
        Options o = new Options();
        o.addOption(Option.builder("d").hasArg().argName("USER").desc("mailbox owner, for per-user statistics").get());
        return o;
    }

    @Override
    public int run(CommandLine line, Io io) {
        try (AgentContext context = ContextLoader.open(line)) {
            context.scansOnly(true); // while the daemon holds the embedded store: read it, do not scan without Bayes
            byte[] raw = io.in().readAllBytes();
            Envelope envelope = Envelope.builder().deliverTo(line.getOptionValue("d")).build();
            ScanResult result = context.scanner(ScanListener.ScanSource.DELIVER).scan(raw, envelope);
            io.out().write(HeaderRewriter.apply(raw, result.headerChanges()));
            io.out().flush();
            return 0;
        } catch (Exception e) {
            io.err().println("mailsift filter: " + e);
            return DeliverCommand.EX_TEMPFAIL;
        }
    }
}
