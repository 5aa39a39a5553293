package org.mailsift.scanner.bayes;

import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import org.mailsift.core.learn.LearnClass;

/**
 * The store-neutral export format used by {@code mailsift bayes export|import}. UTF-8 text, one record per line,
 * fields separated by one space:
 * <pre>
 * mailsift-bayes-export 1
 * learns USER SPAM_LEARNS HAM_LEARNS
 * token USER TOKEN SPAM HAM
 * learned USER DIGEST spam|ham
 * </pre>
 * USER is {@code *} for the global statistics, else the URL-encoded mailbox owner. TOKEN is the 64-bit token hash as
 * an unsigned decimal (the same number Rspamd-style Redis keys use). {@code learned} lines are the learned-message
 * cache (content digests), so a message learned before the move is still recognised afterwards. Lines starting with
 * {@code #} are comments. Importing adds counts to what the target store already holds.
 */
public final class BayesExportFormat {
    public static final String MAGIC = "mailsift-bayes-export 1";
    public static final String GLOBAL = "*";

    private BayesExportFormat() {
    }

    /** Receives the records of an export, in file order. */
    public interface Visitor {
        void learns(String user, long spam, long ham);

        void token(String user, long token, long spam, long ham);

        void learned(String user, String digest, LearnClass learnClass);
    }

    /** Writes records; call {@link #finish()} at the end (it flushes, the caller closes the stream). */
    public static final class Exporter implements Visitor {
        private final Writer out;

        public Exporter(OutputStream stream) throws IOException {
            this.out = new BufferedWriter(new OutputStreamWriter(stream, StandardCharsets.UTF_8), 1 << 16);
            out.write(MAGIC);
            out.write('\n');
        }

        @Override
        public void learns(String user, long spam, long ham) {
            line("learns " + encode(user) + " " + spam + " " + ham);
        }

        @Override
        public void token(String user, long token, long spam, long ham) {
            line("token " + encode(user) + " " + Long.toUnsignedString(token) + " " + spam + " " + ham);
        }

        @Override
        public void learned(String user, String digest, LearnClass learnClass) {
            line("learned " + encode(user) + " " + digest + " " + learnClass.label());
        }

        private void line(String s) {
            try {
                out.write(s);
                out.write('\n');
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }

        public void finish() throws IOException {
            out.flush();
        }
    }

    /** Reads an export and hands each record to {@code visitor}; a malformed line fails with its line number. */
    public static void read(InputStream in, Visitor visitor) throws IOException {
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
        String first = r.readLine();
        if (first == null || !first.trim().equals(MAGIC)) {
            throw new IOException("not a mailsift Bayes export (first line must be \"" + MAGIC + "\")");
        }
        int lineNo = 1;
        for (String line = r.readLine(); line != null; line = r.readLine()) {
            lineNo++;
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.trim().split(" ");
            try {
                switch (f[0]) {
                    case "learns" -> visitor.learns(decode(f[1]), Long.parseLong(f[2]), Long.parseLong(f[3]));
                    case "token" -> visitor.token(decode(f[1]), Long.parseUnsignedLong(f[2]), Long.parseLong(f[3]), Long.parseLong(f[4]));
                    case "learned" -> visitor.learned(decode(f[1]), f[2], f[3].equals("spam") ? LearnClass.SPAM : LearnClass.HAM);
                    default -> throw new IOException("line " + lineNo + ": unknown record \"" + f[0] + "\"");
                }
            } catch (RuntimeException e) {
                throw new IOException("line " + lineNo + ": malformed record: " + line, e);
            }
        }
    }

    private static String encode(String user) {
        return user == null ? GLOBAL : URLEncoder.encode(user, StandardCharsets.UTF_8);
    }

    private static String decode(String field) {
        return field.equals(GLOBAL) ? null : URLDecoder.decode(field, StandardCharsets.UTF_8);
    }
}
