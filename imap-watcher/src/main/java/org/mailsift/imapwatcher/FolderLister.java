package org.mailsift.imapwatcher;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import jakarta.mail.MessagingException;

import org.eclipse.angus.mail.iap.Response;
import org.eclipse.angus.mail.imap.IMAPFolder;
import org.eclipse.angus.mail.imap.protocol.IMAPResponse;
import org.eclipse.angus.mail.imap.protocol.ListInfo;

/**
 * Lists an account's folders with their attributes. On servers with SPECIAL-USE the LIST asks for the special-use
 * attributes explicitly ({@code RETURN (SPECIAL-USE)}, RFC 6154), since servers need not send them otherwise;
 * angus-mail has no API for that, so the command goes through {@link IMAPFolder#doCommand}.
 */
final class FolderLister {
    private FolderLister() {
    }

    /**
     * @param via any folder of the store; when it is open, its connection is used, so listing never makes angus-mail
     *            open a second connection to the server
     */
    static List<FolderRole.Folder> list(IMAPFolder via) throws MessagingException {
        Object result = via.doCommand(p -> {
            List<FolderRole.Folder> out = new ArrayList<>();
            if (p.hasCapability("SPECIAL-USE")) {
                Response[] r = p.command("LIST \"\" \"*\" RETURN (SPECIAL-USE)", null);
                Response status = r[r.length - 1];
                List<Response> others = new ArrayList<>();
                for (int i = 0; i < r.length - 1; i++) {
                    if (r[i] instanceof IMAPResponse ir && ir.keyEquals("LIST")) {
                        out.add(folder(new ListInfo(ir)));
                    } else {
                        others.add(r[i]);
                    }
                }
                p.notifyResponseHandlers(others.toArray(Response[]::new));
                p.handleResult(status);
            } else {
                ListInfo[] infos = p.list("", "*");
                if (infos != null) {
                    for (ListInfo li : infos) {
                        out.add(folder(li));
                    }
                }
            }
            return out;
        });
        @SuppressWarnings("unchecked")
        List<FolderRole.Folder> folders = (List<FolderRole.Folder>) result;
        return folders;
    }

    private static FolderRole.Folder folder(ListInfo li) {
        Set<String> attrs = new HashSet<>(li.attrs == null ? List.of() : Arrays.asList(li.attrs));
        if (!li.canOpen) {
            attrs.add("\\Noselect");
        }
        return new FolderRole.Folder(li.name, li.separator, attrs);
    }
}
