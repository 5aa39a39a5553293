package org.mailsift.imapwatcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Persistent watcher state of one account: a {@link MailboxState} per folder, in a small tab-separated text file
 * ({@code <data>/imap-watcher/<account>.state}) written atomically (temp file + rename) after every change.
 *
 * <pre>
 * folder	INBOX	1732000000	57	0
 * msg	Junk	12	5120 3fa1…e0 &lt;id@example&gt;
 * </pre>
 */
public final class AccountState {
    private static final String HEADER = "# mailsift imap-watcher state v1: folder NAME UIDVALIDITY UIDNEXT HIGHESTMODSEQ / msg FOLDER UID IDENTITY";
    private final Path file;
    private final Map<String, MailboxState> folders = new LinkedHashMap<>();

    private AccountState(Path file) {
        this.file = file;
    }

    public static Path fileFor(Path stateDir, String account) {
        return stateDir.resolve(safeName(account) + ".state");
    }

    /** Loads the state, or an empty one (first start) when the file does not exist. */
    public static AccountState load(Path file) {
        AccountState s = new AccountState(file);
        if (!Files.exists(file)) {
            return s;
        }
        try {
            for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] p = line.split("\t", -1);
                switch (p[0]) {
                    case "folder" -> s.folders.put(p[1], new MailboxState(Long.parseLong(p[2]), Long.parseLong(p[3]), Long.parseLong(p[4])));
                    case "msg" -> s.folders.computeIfAbsent(p[1], k -> new MailboxState(0, 0, 0))
                            .contents().put(Long.parseLong(p[2]), MessageIdentity.parse(p[3]));
                    default -> { } // a newer version's line: ignore rather than lose the rest
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read watcher state " + file, e);
        } catch (RuntimeException e) {
            // a damaged file (e.g. disk full during an old version's write): start over like a first start, no relearn
            return new AccountState(file);
        }
        return s;
    }

    public boolean isNew() {
        return folders.isEmpty();
    }

    public MailboxState folder(String name) {
        return folders.get(name);
    }

    public MailboxState folderOrCreate(String name, long uidValidity, long uidNext, long modSeq) {
        return folders.computeIfAbsent(name, k -> new MailboxState(uidValidity, uidNext, modSeq));
    }

    public void forget(String name) {
        folders.remove(name);
    }

    public Map<String, MailboxState> folders() {
        return folders;
    }

    public synchronized void save() {
        List<String> lines = new ArrayList<>();
        lines.add(HEADER);
        folders.forEach((name, f) -> {
            lines.add("folder\t" + name + "\t" + f.uidValidity() + "\t" + f.uidNext() + "\t" + f.highestModSeq());
            f.contents().forEach((uid, id) -> lines.add("msg\t" + name + "\t" + uid + "\t" + id.serialize()));
        });
        try {
            Files.createDirectories(file.getParent());
            Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
            Files.write(tmp, lines, StandardCharsets.UTF_8);
            try {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write watcher state " + file, e);
        }
    }

    static String safeName(String account) {
        StringBuilder sb = new StringBuilder();
        for (char c : account.toCharArray()) {
            sb.append(Character.isLetterOrDigit(c) || c == '.' || c == '-' || c == '_' || c == '@' ? c : '_');
        }
        // different names that sanitize alike must not share a file
        return sb + (sb.toString().equals(account) ? "" : "-" + Integer.toHexString(account.hashCode()));
    }
}
