package org.mailsift.imapwatcher;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import org.mailsift.core.config.ConfigException;
import org.mailsift.core.config.UclObject;

/**
 * Day-one learning from the mail users already have ({@code bootstrap*} options of imap_watcher.conf, also used by
 * {@code mailsift learn-folders}): each account's Junk is spam; read mail in the ham folders that is older than
 * {@code minAge} is ham (users had that long to move it to Junk).
 *
 * @param enabled     run it once per account when the daemon starts ({@code bootstrap = true})
 * @param hamFolders  folder names whose read mail is ham; a name also covers its subfolders ("Archive/2024"), and
 *                    "Archive" also every folder with the {@code \Archive} special-use attribute
 * @param minAge      read mail must be at least this old (its IMAP internal date) to be learned as ham
 * @param maxPerClass at most this many messages of each class per account
 * @param balance     the larger class gets at most this many times the other's learns, over the run
 * @param maxSize     larger messages are skipped (and counted)
 */
public record BootstrapSettings(boolean enabled, List<String> hamFolders, Duration minAge, int maxPerClass, double balance,
                                long maxSize) {

    public static final List<String> DEFAULT_HAM_FOLDERS = List.of("INBOX", "Archive", "Archives");
    static final Set<String> KEYS = Set.of("bootstrap", "bootstrap_ham_folders", "bootstrap_min_age",
            "bootstrap_max_per_class", "bootstrap_balance", "bootstrap_max_size");

    public static BootstrapSettings defaults() {
        return new BootstrapSettings(false, DEFAULT_HAM_FOLDERS, Duration.ofDays(14), 1000, 1.0, 10L << 20);
    }

    static BootstrapSettings from(UclObject s) {
        BootstrapSettings d = defaults();
        double balance = s.getDouble("bootstrap_balance", d.balance());
        if (balance < 1) {
            throw new ConfigException(s.get("bootstrap_balance").orElseThrow().position(),
                    "bootstrap_balance must be 1 or more (1 = as many ham as spam learns), found " + balance);
        }
        long maxPerClass = s.getLong("bootstrap_max_per_class", d.maxPerClass());
        if (maxPerClass < 0 || maxPerClass > Integer.MAX_VALUE) {
            throw new ConfigException(s.get("bootstrap_max_per_class").orElseThrow().position(),
                    "bootstrap_max_per_class must be 0 or more, found " + maxPerClass);
        }
        long minAge = s.getMillis("bootstrap_min_age", d.minAge().toMillis());
        if (minAge < 0) {
            throw new ConfigException(s.get("bootstrap_min_age").orElseThrow().position(),
                    "bootstrap_min_age must not be negative");
        }
        List<String> ham = s.has("bootstrap_ham_folders") ? s.getStringList("bootstrap_ham_folders") : d.hamFolders();
        return new BootstrapSettings(s.getBoolean("bootstrap", false), List.copyOf(ham), Duration.ofMillis(minAge),
                (int) maxPerClass, balance, s.getLong("bootstrap_max_size", d.maxSize()));
    }

    /** The same settings with command-line overrides (null keeps the configured value). */
    public BootstrapSettings with(Integer maxPerClass, Duration minAge) {
        return new BootstrapSettings(enabled, hamFolders, minAge == null ? this.minAge : minAge,
                maxPerClass == null ? this.maxPerClass : maxPerClass, balance, maxSize);
    }
}
