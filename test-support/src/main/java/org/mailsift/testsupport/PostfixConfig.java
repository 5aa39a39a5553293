package org.mailsift.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The configuration of a private test Postfix, from one template ({@code postfix/main.cf} beside this class) and
 * Debian's master.cf: the one place where the tests' Postfix settings live. {@link PostfixServer} renders it for the
 * Java tests; scripts/e2e.sh and scripts/bench-milter.sh render it through {@link #main} (see
 * scripts/lib/postfix-config.sh), each overriding only what its flow needs.
 *
 * <p>main.cf: the template's parameters in order, a {@link #set} replacing one in place or appending it, a
 * {@link #merge} taking a main.cf fragment (e.g. the shipped main.cf.mailsift) the same way. master.cf: Debian's
 * master.cf.dist with chroot off everywhere (the spool lives outside any jail), smtpd only on 127.0.0.1:port, and
 * postlogd for maillog_file.
 */
public final class PostfixConfig {
    public static final Path MASTER_CF_DIST = Path.of("/usr/share/postfix/master.cf.dist");
    private static final String TEMPLATE = "postfix/main.cf";

    private final Path dir;
    private final int smtpPort;
    private final Map<String, String> main;

    private PostfixConfig(Path dir, int smtpPort, Map<String, String> main) {
        this.dir = dir;
        this.smtpPort = smtpPort;
        this.main = main;
    }

    /**
     * @param dir the instance's directory: etc/ (main.cf, master.cf), spool/, data/, mail/, maillog
     * @param syslogName the instance's name in its log lines
     */
    public static PostfixConfig of(Path dir, int smtpPort, String syslogName) {
        String template;
        try (InputStream in = PostfixConfig.class.getResourceAsStream(TEMPLATE)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + TEMPLATE + " beside " + PostfixConfig.class.getName());
            }
            template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String text = template.replace("${dir}", dir.toString()).replace("${syslog_name}", syslogName);
        return new PostfixConfig(dir, smtpPort, parameters(text));
    }

    /** Sets one main.cf parameter (in place when the template has it). */
    public PostfixConfig set(String parameter, String value) {
        main.put(parameter, value);
        return this;
    }

    /** Takes every parameter of a main.cf fragment (comments and blank lines skipped, continuation lines joined). */
    public PostfixConfig merge(String fragment) {
        main.putAll(parameters(fragment));
        return this;
    }

    public Path configDirectory() {
        return dir.resolve("etc");
    }

    public String mainCf() {
        StringBuilder out = new StringBuilder();
        main.forEach((k, v) -> out.append(k).append(v.isEmpty() ? " =" : " = " + v).append('\n'));
        return out.toString();
    }

    public String masterCf() throws IOException {
        List<String> out = new ArrayList<>();
        for (String line : Files.readAllLines(MASTER_CF_DIST)) {
            if (line.matches("^smtp\\s+inet\\s.*")) {
                out.add("127.0.0.1:" + smtpPort + " inet n - n - - smtpd");
                continue;
            }
            if (!line.isEmpty() && Character.isLetterOrDigit(line.charAt(0))) {
                String[] f = line.trim().split("\\s+");
                if (f.length >= 8) {
                    f[4] = "n"; // chroot
                    line = String.join(" ", f);
                }
            }
            out.add(line);
        }
        if (out.stream().noneMatch(l -> l.startsWith("postlog"))) {
            out.add("postlog unix-dgram n - n - 1 postlogd");
        }
        return String.join("\n", out) + "\n";
    }

    /** Creates etc/, spool/, data/ (the postfix user's) and an empty maillog, and writes main.cf and master.cf. */
    public void write() throws IOException, InterruptedException {
        Files.createDirectories(configDirectory());
        Files.createDirectories(dir.resolve("spool"));
        Path data = Files.createDirectories(dir.resolve("data"));
        exec(List.of("chown", "postfix:postfix", data.toString()));
        Path maillog = dir.resolve("maillog");
        if (!Files.exists(maillog)) {
            Files.writeString(maillog, "");
        }
        Files.writeString(configDirectory().resolve("main.cf"), mainCf());
        Files.writeString(configDirectory().resolve("master.cf"), masterCf());
    }

    static Map<String, String> parameters(String mainCf) {
        Map<String, String> out = new LinkedHashMap<>();
        String name = null;
        StringBuilder value = new StringBuilder();
        for (String line : mainCf.split("\n", -1)) {
            if (line.isBlank() || line.stripLeading().startsWith("#")) {
                continue;
            }
            if (Character.isWhitespace(line.charAt(0)) && name != null) {
                value.append(' ').append(line.strip()); // a continuation line
                continue;
            }
            if (name != null) {
                out.put(name, value.toString());
            }
            int eq = line.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("not a main.cf parameter line: " + line);
            }
            name = line.substring(0, eq).strip();
            value = new StringBuilder(line.substring(eq + 1).strip());
        }
        if (name != null) {
            out.put(name, value.toString());
        }
        return out;
    }

    static String exec(List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", command) + " did not finish");
        }
        String text = new String(out, StandardCharsets.UTF_8);
        if (p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " exited " + p.exitValue() + ": " + text);
        }
        return text;
    }

    /**
     * For the scripts: {@code PostfixConfig --dir DIR --smtp-port N [--syslog-name NAME] [--merge FILE]...
     * [--set NAME=VALUE]... [--print]} writes DIR's configuration (or prints main.cf with --print). Options apply in
     * order, so a --set after a --merge wins.
     */
    public static void main(String[] args) throws Exception {
        Path dir = null;
        int port = -1;
        String syslogName = "mailsift-test-postfix";
        boolean print = false;
        List<String[]> edits = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--dir" -> dir = Path.of(value(args, ++i, a)).toAbsolutePath();
                case "--smtp-port" -> port = Integer.parseInt(value(args, ++i, a));
                case "--syslog-name" -> syslogName = value(args, ++i, a);
                case "--merge", "--set" -> edits.add(new String[] {a, value(args, ++i, a)});
                case "--print" -> print = true;
                default -> usage("unknown option " + a);
            }
        }
        if (dir == null || port < 1) {
            usage("--dir and --smtp-port are required");
        }
        PostfixConfig config = of(dir, port, syslogName);
        for (String[] edit : edits) {
            if (edit[0].equals("--merge")) {
                config.merge(Files.readString(Path.of(edit[1])));
            } else {
                int eq = edit[1].indexOf('=');
                if (eq < 1) {
                    usage("--set takes NAME=VALUE, not " + edit[1]);
                }
                config.set(edit[1].substring(0, eq).strip(), edit[1].substring(eq + 1).strip());
            }
        }
        if (print) {
            System.out.print(config.mainCf());
        } else {
            config.write();
        }
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            usage(option + " needs a value");
        }
        return args[i];
    }

    private static void usage(String why) {
        System.err.println("PostfixConfig: " + why);
        System.err.println("usage: PostfixConfig --dir DIR --smtp-port N [--syslog-name NAME] [--merge FILE]... "
                + "[--set NAME=VALUE]... [--print]");
        System.exit(2);
    }
}
