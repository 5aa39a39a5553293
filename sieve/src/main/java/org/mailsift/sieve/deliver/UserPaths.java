package org.mailsift.sieve.deliver;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Expands the deliver.conf templates for one user: %u the whole user name, %n its local part, %d its domain
 * (empty without "@"), "~" the home directory.
 *
 * <p>A user is <em>known</em> when the Maildir was given on the command line, when {@code create_home} is on, when
 * the home directory exists, or -- for a plain name without "@" -- when /etc/passwd has the account. Anything else
 * is an unknown user (EX_NOUSER), so a typo in a virtual alias bounces instead of creating a stray mailbox.
 */
public record UserPaths(String user, Path home, Path maildir, Path userScript, boolean known) {

    public static UserPaths resolve(String user, DeliverSettings settings, boolean maildirGiven, Path passwdFile) throws IOException {
        if (!safeName(user)) {
            return new UserPaths(user, null, null, null, false);
        }
        Optional<Path> systemHome = user.contains("@") ? Optional.empty() : passwdHome(user, passwdFile);
        Path home;
        if (settings.home() != null) {
            home = Path.of(expand(settings.home(), user, null));
        } else if (systemHome.isPresent()) {
            home = systemHome.get();
        } else {
            home = null;
        }
        String maildirText = expand(settings.maildir(), user, home);
        if (maildirText.startsWith("~")) {
            return new UserPaths(user, null, null, null, false); // "~" but no home: a virtual user needs %d/%n templates
        }
        Path maildir = Path.of(maildirText);
        if (home == null) {
            home = maildir.getParent();
        }
        Path script = settings.sieve() == null || settings.sieve().isEmpty() ? null : Path.of(expand(settings.sieve(), user, home));
        if (!confined(settings.home(), home) || !confined(settings.maildir(), maildir)
                || script != null && !confined(settings.sieve(), script)) {
            return new UserPaths(user, null, null, null, false); // the user name reached outside the template's root
        }
        boolean known = maildirGiven || settings.createHome() || systemHome.isPresent() || Files.isDirectory(home)
                || Files.isDirectory(maildir);
        return new UserPaths(user, home, maildir, script, known);
    }

    /**
     * A user name that can go into a path: no "/" or NUL, and neither the whole name, its local part nor its domain
     * is empty, "." or ".." (so "%d" or "%n" never climbs out of the template's directory).
     */
    static boolean safeName(String user) {
        if (user.isEmpty() || user.contains("/") || user.startsWith(".") || user.contains("\0")) {
            return false;
        }
        int at = user.lastIndexOf('@');
        if (at < 0) {
            return true;
        }
        String local = user.substring(0, at);
        String domain = user.substring(at + 1);
        for (String part : new String[] {local, domain}) {
            if (part.isEmpty() || part.equals(".") || part.equals("..")) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether {@code expanded} stays under the fixed directory the template starts with (the text before its first
     * "%", up to the last "/"): "/var/vmail/%d/%n/Maildir" must stay under /var/vmail. Templates starting with "~"
     * or "%" have no fixed part to keep to.
     */
    static boolean confined(String template, Path expanded) {
        if (template == null || expanded == null) {
            return true;
        }
        int var = template.indexOf('%');
        if (var < 0) {
            return true;
        }
        String fixed = template.substring(0, var);
        int slash = fixed.lastIndexOf('/');
        if (fixed.startsWith("~") || slash < 0) {
            return true;
        }
        Path root = Path.of(fixed.substring(0, slash + 1)).toAbsolutePath().normalize();
        Path target = expanded.toAbsolutePath().normalize();
        return target.startsWith(root) && !target.equals(root);
    }

    static String expand(String template, String user, Path home) {
        int at = user.lastIndexOf('@');
        String local = at < 0 ? user : user.substring(0, at);
        String domain = at < 0 ? "" : user.substring(at + 1);
        String s = template.replace("%u", user).replace("%n", local).replace("%d", domain);
        if (home != null && (s.equals("~") || s.startsWith("~/"))) {
            s = home + s.substring(1);
        }
        return s;
    }

    private static Optional<Path> passwdHome(String user, Path passwdFile) throws IOException {
        if (passwdFile == null || !Files.isReadable(passwdFile)) {
            return Optional.empty();
        }
        for (String line : Files.readAllLines(passwdFile)) {
            String[] f = line.split(":", -1);
            if (f.length >= 6 && f[0].equals(user)) {
                return Optional.of(Path.of(f[5]));
            }
        }
        return Optional.empty();
    }
}
