package org.mailsift.sieve.deliver;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.mailsift.core.config.UclObject;

/**
 * {@code local.d/deliver.conf}: where mailboxes live and which scripts run.
 *
 * @param home          home directory template (%u user, %n local part, %d domain), or null: the system account's
 *                      home for a plain user name, else the Maildir's parent
 * @param maildir       Maildir template; "~" is the home (default "~/Maildir")
 * @param sieve         the user's script; "~" is the home (default "~/.dovecot.sieve"); a missing file means none
 * @param sieveBefore   script run before the user's (default the shipped spam-to-junk.sieve; "" for none)
 * @param createHome    create the Maildir for any user instead of refusing unknown users (default no)
 * @param junkFolder    the mailbox holding the \Junk special-use attribute (default "Junk")
 * @param sendmail      sendmail command for redirect and vacation (default /usr/sbin/sendmail)
 * @param vacationDir   where vacation memory lives (default DATADIR/vacation)
 * @param scan          scan the message unless it carries a valid verdict seal (default yes)
 * @param domain        domain appended to a plain user name to form the user's address (default: host name)
 */
public record DeliverSettings(String home, String maildir, String sieve, String sieveBefore, boolean createHome,
                              String junkFolder, List<String> sendmail, Path vacationDir, boolean scan, String domain) {

    public static final String BUILTIN_BEFORE = "builtin:spam-to-junk.sieve";
    static final Set<String> KNOWN = Set.of("home", "maildir", "sieve", "sieve_before", "create_home", "junk_folder",
            "sendmail", "vacation_dir", "scan", "domain");

    public static DeliverSettings defaults(Path dataDir) {
        return new DeliverSettings(null, "~/Maildir", "~/.dovecot.sieve", BUILTIN_BEFORE, false, "Junk",
                List.of("/usr/sbin/sendmail"), dataDir.resolve("vacation"), true, null);
    }

    /** Reads the "deliver" section; unknown keys are reported through {@code warnings}. */
    public static DeliverSettings from(UclObject section, Path dataDir, java.util.function.Consumer<String> warnings) {
        DeliverSettings d = defaults(dataDir);
        section.warnUnknown("deliver.conf", KNOWN, warnings);
        return new DeliverSettings(
                section.getString("home", d.home()),
                section.getString("maildir", d.maildir()),
                section.getString("sieve", d.sieve()),
                section.getString("sieve_before", d.sieveBefore()),
                section.getBoolean("create_home", d.createHome()),
                section.getString("junk_folder", d.junkFolder()),
                section.has("sendmail") ? List.of(section.getString("sendmail", "").trim().split("\\s+")) : d.sendmail(),
                section.has("vacation_dir") ? Path.of(section.getString("vacation_dir", "")) : d.vacationDir(),
                section.getBoolean("scan", d.scan()),
                section.getString("domain", d.domain()));
    }

    public DeliverSettings withMaildir(String template) {
        return new DeliverSettings(home, template, sieve, sieveBefore, createHome, junkFolder, sendmail, vacationDir, scan, domain);
    }

    public DeliverSettings withSieve(String path) {
        return new DeliverSettings(home, maildir, path, sieveBefore, createHome, junkFolder, sendmail, vacationDir, scan, domain);
    }

    public DeliverSettings withSendmail(List<String> command) {
        return new DeliverSettings(home, maildir, sieve, sieveBefore, createHome, junkFolder, command, vacationDir, scan, domain);
    }

    public DeliverSettings withCreateHome(boolean create) {
        return new DeliverSettings(home, maildir, sieve, sieveBefore, create, junkFolder, sendmail, vacationDir, scan, domain);
    }

    public Map<String, String> specialUse() {
        return Map.of("\\Junk", junkFolder);
    }
}
