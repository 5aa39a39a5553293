package org.mailsift.agent.cli;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.mailsift.core.message.Envelope;

/**
 * The SMTP envelope on the command line, with rspamc's option names ({@code -i/--ip}, {@code --helo},
 * {@code --hostname}, {@code -F/--from}, {@code -r/--rcpt} repeatable, {@code -u/--user} the SASL-authenticated
 * sender, {@code -d/--deliver-to} the mailbox owner), so that `mailsift scan` sees a message as the milter or
 * `rspamc` would hand it over. Values are taken as the MTA gives them: angle brackets around addresses and square
 * brackets around an address literal are removed, {@code --from ""} is the null sender.
 */
final class EnvelopeOptions {
    private EnvelopeOptions() {
    }

    static void addTo(Options o) {
        o.addOption(Option.builder("i").longOpt("ip").hasArg().argName("ADDRESS")
                .desc("the SMTP client's address (decides local_addrs, as the milter's {client_addr})").get());
        o.addOption(Option.builder().longOpt("helo").hasArg().argName("NAME").desc("the client's HELO/EHLO name").get());
        o.addOption(Option.builder().longOpt("hostname").hasArg().argName("NAME")
                .desc("the client's verified reverse DNS name (omit or \"unknown\" when it has none)").get());
        o.addOption(Option.builder("F").longOpt("from").hasArg().argName("ADDRESS")
                .desc("the envelope sender (MAIL FROM; \"\" for the null sender)").get());
        o.addOption(Option.builder("r").longOpt("rcpt").hasArg().argName("ADDRESS")
                .desc("an envelope recipient (RCPT TO); repeat for several").get());
        o.addOption(Option.builder("u").longOpt("user").hasArg().argName("LOGIN")
                .desc("the SASL-authenticated sender ({auth_authen}): the message is outgoing mail of this user").get());
        o.addOption(Option.builder("d").longOpt("deliver-to").hasArg().argName("USER")
                .desc("the final mailbox owner, whose per-user Bayes statistics apply (rspamc -d)").get());
        o.addOption(Option.builder().longOpt("queue-id").hasArg().argName("ID").desc("the MTA's queue id ({i})").get());
    }

    /** The envelope the options describe; {@link Envelope#EMPTY} when none was given. */
    static Envelope from(CommandLine line) {
        Envelope.Builder b = Envelope.builder()
                .clientIp(literal(line.getOptionValue("ip")))
                .helo(blankToNull(line.getOptionValue("helo")))
                .clientHostname(blankToNull(line.getOptionValue("hostname")))
                .mailFrom(line.hasOption("from") ? address(line.getOptionValue("from")) : null)
                .authUser(blankToNull(line.getOptionValue("user")))
                .deliverTo(blankToNull(line.getOptionValue("deliver-to")))
                .queueId(blankToNull(line.getOptionValue("queue-id")));
        String[] rcpts = line.getOptionValues("rcpt");
        if (rcpts != null) {
            for (String r : rcpts) {
                for (String one : r.split(",")) {
                    String a = address(one);
                    if (!a.isEmpty()) {
                        b.addRcpt(a);
                    }
                }
            }
        }
        Envelope e = b.build();
        return e.equals(Envelope.builder().build()) ? Envelope.EMPTY : e;
    }

    private static String address(String v) {
        String s = v == null ? "" : v.trim();
        if (s.startsWith("<") && s.endsWith(">")) {
            s = s.substring(1, s.length() - 1).trim();
        }
        return s;
    }

    private static String literal(String ip) {
        String s = blankToNull(ip);
        if (s != null && s.startsWith("[") && s.endsWith("]")) {
            s = s.substring(1, s.length() - 1);
        }
        return s;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }
}
