package org.mailsift.agent.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.Locale;

import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.mailsift.scanner.auth.dkim.DkimKeyFiles;

/**
 * {@code mailsift dkim-keygen -d DOMAIN -s SELECTOR [-b 2048] [-t rsa|ed25519] [-k KEYFILE]}, as
 * {@code rspamadm dkim_keygen}: writes the private key (PKCS#8 PEM, mode 0600) and prints the DNS TXT record to
 * publish at SELECTOR._domainkey.DOMAIN. Without -k the private key is printed too.
 */
public final class DkimKeygenCommand implements CliCommand {
    @Override
    public String name() {
        return "dkim-keygen";
    }

    @Override
    public String summary() {
        return "create a DKIM key for dkim_signing.conf and print the DNS record to publish";
    }

    @Override
    public Options options() {
        Options o = new Options();
        o.addOption(Option.builder("d").longOpt("domain").hasArg().argName("DOMAIN").desc("signing domain").get());
        o.addOption(Option.builder("s").longOpt("selector").hasArg().argName("SELECTOR").desc("selector (default: dkim)").get());
        o.addOption(Option.builder("b").longOpt("bits").hasArg().argName("BITS").desc("RSA key size (default: 2048)").get());
        o.addOption(Option.builder("t").longOpt("type").hasArg().argName("rsa|ed25519").desc("key type (default: rsa)").get());
        o.addOption(Option.builder("k").longOpt("privkey").hasArg().argName("KEYFILE")
                .desc("write the private key here, mode 0600 (default: print it)").get());
        o.addOption(Option.builder("f").longOpt("force").desc("replace an existing key file").get());
        return o;
    }

    @Override
    public boolean usesConfig() {
        return false;
    }

    @Override
    public int run(CommandLine line, Io io) throws Exception {
        String domain = line.getOptionValue("d");
        String selector = line.getOptionValue("s", "dkim");
        String type = line.getOptionValue("t", "rsa").toLowerCase(Locale.ROOT);
        if (domain == null || domain.isBlank()) {
            io.err().println("mailsift dkim-keygen: -d DOMAIN is required");
            return 2;
        }
        int bits;
        try {
            bits = Integer.parseInt(line.getOptionValue("b", "2048"));
        } catch (NumberFormatException e) {
            io.err().println("mailsift dkim-keygen: -b needs a number of bits");
            return 2;
        }
        KeyPair pair = DkimKeyFiles.generate(type, bits);
        String keyFile = line.getOptionValue("k");
        if (keyFile != null) {
            Path p = Path.of(keyFile);
            if (Files.exists(p) && !line.hasOption("f")) {
                io.err().println("mailsift dkim-keygen: " + p + " exists (use -f to replace it)");
                return 1;
            }
            DkimKeyFiles.write(p, pair.getPrivate());
        } else {
            io.out().print(DkimKeyFiles.pem(pair.getPrivate()));
        }
        io.out().println(DkimKeyFiles.zoneRecord(selector, pair.getPublic()));
        return 0;
    }
}
