package org.mailsift.imapwatcher;

/**
 * One mailbox to watch.
 *
 * @param name      account name for logs, status and the state file ("alice", or the user in master-user mode)
 * @param host      IMAP server
 * @param port      IMAP port
 * @param tls       connection protection
 * @param loginUser the LOGIN name ("alice", or "alice*master" in Dovecot master-user mode)
 * @param password  the password for {@code loginUser}
 * @param learnUser the mailbox owner, used for per-user statistics
 * @param enabled   false keeps the account configured but unwatched
 * @param problem   why this account cannot run (e.g. an unreadable password_file), or null; reported in its status
 */
public record AccountSettings(String name, String host, int port, Tls tls, String loginUser, String password,
                              String learnUser, boolean enabled, String problem) {

    public AccountSettings withPassword(String newPassword) {
        return new AccountSettings(name, host, port, tls, loginUser, newPassword, learnUser, enabled, problem);
    }

    @Override
    public String toString() {
        // never print the password
        return "AccountSettings[" + name + " " + loginUser + "@" + host + ":" + port + " tls=" + tls + (enabled ? "" : " disabled") + "]";
    }
}
