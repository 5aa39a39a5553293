package org.mailsift.sieve.engine.ext;

import java.util.Map;

import org.apache.jsieve.ConfigurationManager;
import org.apache.jsieve.SieveContext;
import org.apache.jsieve.exception.SieveException;
import org.apache.jsieve.mail.MailAdapter;
import org.mailsift.sieve.engine.SieveMail;

/**
 * Registers our Sieve extensions in jSieve's command and test maps. jSieve's {@code require} accepts a capability
 * when a command or test of that name is mapped, so capability names that are not commands or tests
 * ("mailbox", "copy", ...) map to {@link Capability}, a test that fails when used as a test.
 */
public final class Extensions {
    private Extensions() {
    }

    static final Map<String, Class<?>> COMMANDS = Map.ofEntries(
            Map.entry("require", RequireCommand.class),
            Map.entry("stop", StopCommand.class),
            Map.entry("keep", KeepCommand.class),
            Map.entry("fileinto", FileIntoCommand.class),
            Map.entry("redirect", RedirectCommand.class),
            Map.entry("reject", RejectCommand.class),
            Map.entry("ereject", ERejectCommand.class),
            Map.entry("set", SetCommand.class),
            Map.entry("setflag", FlagCommand.Set.class),
            Map.entry("addflag", FlagCommand.Add.class),
            Map.entry("removeflag", FlagCommand.Remove.class));

    static final Map<String, Class<?>> TESTS = Map.ofEntries(
            Map.entry("header", HeaderTest.class),
            Map.entry("address", AddressTest.class),
            Map.entry("envelope", EnvelopeTest.class),
            Map.entry("body", BodyTest.class),
            Map.entry("string", StringTest.class),
            Map.entry("hasflag", HasFlagTest.class),
            Map.entry("spamtest", SpamTest.class),
            Map.entry("mailboxexists", MailboxExistsTest.class),
            Map.entry("specialuse_exists", SpecialUseExistsTest.class),
            // capabilities without a command or test of their own name
            Map.entry("mailbox", Capability.class),
            Map.entry("imap4flags", Capability.class),
            Map.entry("copy", Capability.class),
            Map.entry("variables", Capability.class),
            Map.entry("relational", Capability.class),
            Map.entry("regex", Capability.class),
            Map.entry("spamtestplus", Capability.class),
            Map.entry("special-use", Capability.class));

    /** Adds (or replaces) our commands and tests in a jSieve configuration. */
    public static void register(ConfigurationManager config) {
        COMMANDS.forEach((name, type) -> config.getCommandMap().put(name, type.getName()));
        TESTS.forEach((name, type) -> config.getTestMap().put(name, type.getName()));
    }

    static SieveMail sieveMail(MailAdapter mail, SieveContext context) throws SieveException {
        if (mail instanceof SieveMail m) {
            return m;
        }
        throw MatchSpec.error(context, "mailsift extensions need a SieveMail adapter, got " + mail.getClass().getName());
    }
}
