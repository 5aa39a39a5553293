package org.mailsift.scanner.rbl;

/**
 * Rspamd's remove_email_aliases, applied before an address is looked up in an e-mail list: a "+tag" after the user
 * is dropped; for gmail.com and googlemail.com (which becomes gmail.com) the dots of the user are dropped too, so
 * every spelling of one mailbox is one lookup.
 */
final class EmailAliases {
    private EmailAliases() {
    }

    /** @return {user, domain} without aliases (both already lower case) */
    static String[] remove(String user, String domain) {
        boolean gmail = domain.equals("gmail.com") || domain.equals("googlemail.com");
        String u = gmail ? user.replace(".", "") : user;
        int plus = u.indexOf('+');
        if (plus > 0) {
            u = u.substring(0, plus);
        }
        return new String[] {u, gmail ? "gmail.com" : domain};
    }
}
