package org.mailsift.agent.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.mailsift.controller.security.PasswordHash;

/**
 * {@code mailsift pw [-p PASSPHRASE]}: prints a salted PBKDF2-SHA256 hash for {@code password} /
 * {@code enable_password} in local.d/worker-controller.inc, like {@code rspamadm pw}. Without -p the passphrase is
 * read from the terminal (not echoed) or, when piped, from the first line of stdin.
 */
public final class PwCommand implements CliCommand {
    @Override
    public String name() {
        return "pw";
    }

    @Override
    public String summary() {
        return "hash a controller password for worker-controller.inc (password / enable_password)";
    }

    @Override
    public Options options() {
        Options o = new Options();
        o.addOption(Option.builder("p").longOpt("password").hasArg().argName("PASSPHRASE")
                .desc("the passphrase (default: ask on the terminal, or read one line from stdin)").get());
        return o;
    }

    @Override
    public boolean usesConfig() {
        return false;
    }

    @Override
    public int run(CommandLine line, Io io) throws Exception {
        String passphrase = line.getOptionValue("p");
        if (passphrase == null) {
            passphrase = ask(io);
        }
        if (passphrase == null || passphrase.isEmpty()) {
            io.err().println("mailsift pw: empty passphrase");
            return 1;
        }
        io.out().println(PasswordHash.create(passphrase));
        return 0;
    }

    private static String ask(Io io) throws Exception {
        Console console = System.console();
        if (console != null && io.in() == System.in) {
            char[] first = console.readPassword("Enter passphrase: ");
            char[] second = console.readPassword("Repeat passphrase: ");
            if (first == null || second == null || !new String(first).equals(new String(second))) {
                throw new IllegalArgumentException("passphrases do not match");
            }
            return new String(first);
        }
        BufferedReader r = new BufferedReader(new InputStreamReader(io.in(), StandardCharsets.UTF_8));
        return r.readLine();
    }
}
