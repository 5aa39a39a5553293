package org.mailsift.sieve.deliver;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Hands a message to the local MTA: {@code sendmail -i -f FROM -- RCPT} (Postfix's sendmail(1) compatible
 * interface). Used for redirect and vacation replies; the MTA queues, so a failure here is transient.
 */
public final class Sendmail {
    private static final long TIMEOUT_SECONDS = 60;
    private final List<String> command;

    /** @param command the sendmail program and any fixed arguments, e.g. ["/usr/sbin/sendmail"] */
    public Sendmail(List<String> command) {
        this.command = List.copyOf(command);
    }

    /** @param envelopeFrom the MAIL FROM address, "" for the null sender */
    public void send(String envelopeFrom, String recipient, byte[] message) throws IOException {
        List<String> argv = new ArrayList<>(command);
        argv.addAll(List.of("-i", "-f", envelopeFrom.isEmpty() ? "<>" : envelopeFrom, "--", recipient));
        Process p = new ProcessBuilder(argv).redirectErrorStream(true).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(message);
        } catch (IOException e) {
            p.destroy();
            throw new IOException("writing to " + command.get(0) + " failed: " + e.getMessage(), e);
        }
        try {
            if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IOException(command.get(0) + " did not finish within " + TIMEOUT_SECONDS + " s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            p.destroyForcibly();
            throw new IOException("interrupted while waiting for " + command.get(0), e);
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        if (p.exitValue() != 0) {
            throw new IOException(command.get(0) + " exited with " + p.exitValue() + (output.isEmpty() ? "" : ": " + output));
        }
    }
}
