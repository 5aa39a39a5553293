package org.mailsift.imapwatcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.mailsift.core.config.ConfigException;
import org.mailsift.core.config.ConfigSource;
import org.mailsift.core.config.UclObject;
import org.mailsift.core.config.UclValue;

/**
 * The {@code imap_watcher} section ({@code local.d/imap_watcher.conf}).
 *
 * <pre>
 * enabled = true;
 * account "alice" { host = "imap.example.org"; port = 993; tls = "implicit"; user = "alice"; password_file = "..."; }
 * # or Dovecot master-user mode: log in as user*master for every listed user
 * master_user = "mailsift"; master_password_file = "/etc/mailsift/secrets/master"; users_command = "doveadm user '*'";
 * junk_folders = ["Junk", "Spam"]; trash_folders = ["Trash"];
 * bootstrap = true;   # learn existing Junk / old read mail once (see BootstrapSettings)
 * </pre>
 *
 * @param master null unless master-user mode is configured
 */
public record WatcherSettings(boolean enabled, List<AccountSettings> accounts, MasterSettings master,
                              List<String> junkFolders, List<String> trashFolders, Path trustStore, String trustStorePassword,
                              Duration pollInterval, Duration idleRefresh, Duration backoffInitial, Duration backoffMax,
                              Duration connectTimeout, boolean perUser, String spamHeader, String resultHeader,
                              int learnRetries, BootstrapSettings bootstrap) {

    public static final String SECTION = "imap_watcher";
    public static final List<String> DEFAULT_JUNK = List.of("Junk", "Spam", "Junk E-mail", "Junk Email", "Bulk Mail");
    public static final List<String> DEFAULT_TRASH = List.of("Trash", "Deleted Items", "Deleted Messages", "Deleted");

    private static final Set<String> KNOWN = java.util.stream.Stream.concat(BootstrapSettings.KEYS.stream(), java.util.stream.Stream.of("enabled", "account", "host", "port", "tls", "master_user",
            "master_password", "master_password_file", "master_separator", "users_file", "users_command", "users_refresh",
            "junk_folders", "trash_folders", "trust_store", "trust_store_password", "poll_interval", "idle_refresh",
            "backoff_initial", "backoff_max", "connect_timeout", "per_user", "spam_header", "result_header", "learn_retries"))
            .collect(java.util.stream.Collectors.toUnmodifiableSet());
    private static final Set<String> KNOWN_ACCOUNT = Set.of("host", "port", "tls", "user", "password", "password_file",
            "enabled", "learn_user");

    /**
     * Dovecot master-user mode: one configured login that may open every user's mailbox.
     *
     * @param usersFile    one user name per line (first word; '#' comments)
     * @param usersCommand a shell command printing one user per line, e.g. {@code doveadm user '*'}
     * @param usersRefresh how often the user list is read again (new users watched, removed ones stopped)
     */
    public record MasterSettings(String host, int port, Tls tls, String masterUser, String masterPassword, String separator,
                                 Path usersFile, String usersCommand, Duration usersRefresh) {
        public AccountSettings accountFor(String user) {
            return new AccountSettings(user, host, port, tls, user + separator + masterUser, masterPassword, user, true, null);
        }

        @Override
        public String toString() {
            return "MasterSettings[" + masterUser + "@" + host + ":" + port + " tls=" + tls + "]";
        }
    }

    /** Whether {@code enabled = true}, without reading accounts or secrets. */
    public static boolean enabledIn(ConfigSource config) {
        return section(config).getBoolean("enabled", false);
    }

    private static UclObject section(ConfigSource config) {
        UclObject section = config.section(SECTION);
        // local.d/imap_watcher.conf holds the keys directly; accept an explicit imap_watcher { } wrapper too
        if (section.keys().size() == 1 && section.get(SECTION).orElse(null) instanceof UclObject inner) {
            section = inner;
        }
        return section;
    }

    public static WatcherSettings from(ConfigSource config) {
        UclObject section = section(config);
        UclObject bayes = config.section("classifier-bayes");
        boolean perUserDefault = bayes.getScalar("per_user").map(s -> s.value() instanceof Boolean b && b).orElse(false);
        return parse(section, config.directory(), perUserDefault, config::warn);
    }

    static WatcherSettings parse(UclObject s, Path configDir, boolean perUserDefault, java.util.function.Consumer<String> warn) {
        s.warnUnknown(SECTION, KNOWN, warn);
        String defaultHost = s.getString("host", "127.0.0.1");
        Tls defaultTls = tls(s, "tls", loopback(defaultHost) ? Tls.NONE : Tls.IMPLICIT);
        int defaultPort = (int) s.getLong("port", defaultTls.defaultPort());

        List<AccountSettings> accounts = new ArrayList<>();
        for (Map.Entry<String, UclObject> e : s.getNamedSections("account").entrySet()) {
            UclObject a = e.getValue();
            a.warnUnknown(SECTION + " account \"" + e.getKey() + "\"", KNOWN_ACCOUNT, warn);
            String host = a.getString("host", defaultHost);
            Tls tls = a.has("tls") ? tls(a, "tls", defaultTls) : a.has("host") ? (loopback(host) ? Tls.NONE : Tls.IMPLICIT) : defaultTls;
            int port = (int) a.getLong("port", a.has("tls") || a.has("host") ? tls.defaultPort() : defaultPort);
            String user = a.getString("user", e.getKey());
            String problem = null;
            String password = a.getString("password", null);
            if (password == null) {
                String file = a.getString("password_file", null);
                if (file == null) {
                    problem = "no password or password_file";
                } else {
                    try {
                        password = readSecret(configDir.resolve(file));
                    } catch (IOException ex) {
                        problem = "cannot read password_file " + file + ": " + ex.getMessage();
                    }
                }
                if (problem != null) {
                    warn.accept(a.position() + ": " + SECTION + " account \"" + e.getKey() + "\": " + problem);
                }
            }
            accounts.add(new AccountSettings(e.getKey(), host, port, tls, user, password, a.getString("learn_user", user),
                    a.getBoolean("enabled", true), problem));
        }

        MasterSettings master = null;
        if (s.has("master_user")) {
            String pw = s.getString("master_password", null);
            if (pw == null) {
                String file = s.getString("master_password_file", null);
                if (file == null) {
                    throw new ConfigException(s.get("master_user").map(UclValue::position).orElseThrow(),
                            "master_user needs master_password or master_password_file");
                }
                try {
                    pw = readSecret(configDir.resolve(file));
                } catch (IOException ex) {
                    throw new ConfigException(s.get("master_password_file").orElseThrow().position(),
                            "cannot read master_password_file " + file + ": " + ex.getMessage());
                }
            }
            String usersFile = s.getString("users_file", null);
            String usersCommand = s.getString("users_command", null);
            if (usersFile == null && usersCommand == null) {
                throw new ConfigException(s.get("master_user").orElseThrow().position(),
                        "master_user needs users_file or users_command (e.g. \"doveadm user '*'\")");
            }
            master = new MasterSettings(defaultHost, defaultPort, defaultTls, s.getString("master_user", null), pw,
                    s.getString("master_separator", "*"), usersFile == null ? null : configDir.resolve(usersFile), usersCommand,
                    Duration.ofMillis(s.getMillis("users_refresh", 600_000)));
        }

        List<String> junk = s.has("junk_folders") ? s.getStringList("junk_folders") : DEFAULT_JUNK;
        List<String> trash = s.has("trash_folders") ? s.getStringList("trash_folders") : DEFAULT_TRASH;
        String trustStore = s.getString("trust_store", null);
        return new WatcherSettings(s.getBoolean("enabled", false), List.copyOf(accounts), master, junk, trash,
                trustStore == null ? null : configDir.resolve(trustStore), s.getString("trust_store_password", ""),
                Duration.ofMillis(s.getMillis("poll_interval", 60_000)),
                Duration.ofMillis(s.getMillis("idle_refresh", 600_000)),
                Duration.ofMillis(s.getMillis("backoff_initial", 1_000)),
                Duration.ofMillis(s.getMillis("backoff_max", 300_000)),
                Duration.ofMillis(s.getMillis("connect_timeout", 15_000)),
                s.getBoolean("per_user", perUserDefault),
                s.getString("spam_header", "X-Spam"), s.getString("result_header", "X-Spamd-Result"),
                (int) s.getLong("learn_retries", 8), BootstrapSettings.from(s));
    }

    private static Tls tls(UclObject o, String key, Tls dflt) {
        String v = o.getString(key, null);
        if (v == null) {
            return dflt;
        }
        try {
            return Tls.parse(v);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(o.get(key).orElseThrow().position(), e.getMessage());
        }
    }

    static boolean loopback(String host) {
        String h = host.toLowerCase(Locale.ROOT);
        return h.equals("localhost") || h.startsWith("127.") || h.equals("::1") || h.equals("[::1]");
    }

    /** A secret file's first line (trailing newline and spaces removed). */
    static String readSecret(Path file) throws IOException {
        String text = Files.readString(file, StandardCharsets.UTF_8);
        int nl = text.indexOf('\n');
        return (nl < 0 ? text : text.substring(0, nl)).strip();
    }
}
