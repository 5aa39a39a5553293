package org.mailsift.sieve.maildir;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A Maildir++ mailbox tree (the layout Dovecot's {@code maildir:~/Maildir} reads).
 * Delivery follows the Maildir protocol so a crash never leaves a partial message where a reader looks:
 * the bytes go to {@code tmp/} under a unique name, are fsynced, then renamed into {@code new/} (no flags) or
 * {@code cur/} with a {@code :2,FLAGS} suffix, and the directory is fsynced so the rename survives a power loss.
 */
public final class Maildir {
    private static final AtomicInteger DELIVERIES = new AtomicInteger();
    private static final Set<PosixFilePermission> DEFAULT_DIR_MODE = PosixFilePermissions.fromString("rwx------");

    private final Path root;

    public Maildir(Path root) {
        this.root = root;
    }

    public Path root() {
        return root;
    }

    /** The directory of a mailbox ("INBOX" is the root). */
    public Path folderPath(String mailbox) {
        return MailboxNames.isInbox(mailbox) ? root : root.resolve(MailboxNames.directoryName(mailbox));
    }

    public boolean exists(String mailbox) {
        Path dir = folderPath(mailbox);
        return Files.isDirectory(dir.resolve("cur")) && Files.isDirectory(dir.resolve("new"));
    }

    /**
     * Creates the mailbox (and the root when missing) with tmp/new/cur and, for sub-folders, the empty
     * {@code maildirfolder} marker Maildir++ readers expect. Directories take the root's permissions (as Dovecot
     * does), 0700 for a new root; files inherit them without the execute bits.
     */
    public Path create(String mailbox) throws IOException {
        Path dir = folderPath(mailbox);
        if (!MailboxNames.isInbox(mailbox)) {
            createLeafDirs(root);
        }
        createLeafDirs(dir);
        if (!MailboxNames.isInbox(mailbox)) {
            Path marker = dir.resolve("maildirfolder");
            if (!Files.exists(marker)) {
                try {
                    Files.createFile(marker, PosixFilePermissions.asFileAttribute(fileMode()));
                    Files.setPosixFilePermissions(marker, fileMode()); // the umask may have removed bits
                } catch (FileAlreadyExistsException raced) {
                    // another delivery created it at the same time
                }
            }
        }
        return dir;
    }

    private void createLeafDirs(Path dir) throws IOException {
        Set<PosixFilePermission> mode = dirMode();
        for (Path p : new Path[] {dir, dir.resolve("tmp"), dir.resolve("new"), dir.resolve("cur")}) {
            if (!Files.isDirectory(p)) {
                try {
                    Files.createDirectories(p.getParent());
                    Files.createDirectory(p, PosixFilePermissions.asFileAttribute(mode));
                    Files.setPosixFilePermissions(p, mode); // the umask may have removed bits
                } catch (FileAlreadyExistsException raced) {
                    // another delivery created it at the same time
                }
            }
        }
    }

    private Set<PosixFilePermission> dirMode() throws IOException {
        if (Files.isDirectory(root, LinkOption.NOFOLLOW_LINKS)) {
            return Files.getPosixFilePermissions(root);
        }
        return DEFAULT_DIR_MODE;
    }

    private Set<PosixFilePermission> fileMode() throws IOException {
        Set<PosixFilePermission> mode = EnumSet.copyOf(dirMode());
        mode.removeAll(EnumSet.of(PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.OTHERS_EXECUTE));
        return mode;
    }

    /**
     * Delivers one message into an existing mailbox (see {@link #create}); returns the final path.
     * Messages without flags land in new/ (a client sees them as \Recent); with flags in cur/ with ":2,FLAGS",
     * which is where Dovecot reads flags from.
     */
    public Path deliver(String mailbox, byte[] message, Set<MaildirFlag> flags) throws IOException {
        Path dir = folderPath(mailbox);
        String base = uniqueName(message.length);
        Path tmp = dir.resolve("tmp").resolve(base);
        Set<PosixFilePermission> mode = fileMode();
        try (FileChannel ch = FileChannel.open(tmp, Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                PosixFilePermissions.asFileAttribute(mode))) {
            Files.setPosixFilePermissions(tmp, mode); // the umask may have removed bits
            ByteBuffer buf = ByteBuffer.wrap(message);
            while (buf.hasRemaining()) {
                ch.write(buf);
            }
            ch.force(true);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        Path target = flags.isEmpty() ? dir.resolve("new").resolve(base) : dir.resolve("cur").resolve(base + MaildirFlag.infoSuffix(flags));
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
        fsyncDirectory(target.getParent());
        return target;
    }

    private static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        }
    }

    /** "time.M&lt;micro&gt;P&lt;pid&gt;Q&lt;n&gt;.host,S=size" as Dovecot/qmail name new messages. */
    static String uniqueName(long size) {
        java.time.Instant now = java.time.Instant.now();
        long seconds = now.getEpochSecond();
        long micros = now.getNano() / 1000;
        return seconds + ".M" + micros + "P" + ProcessHandle.current().pid() + "Q" + DELIVERIES.incrementAndGet()
                + "." + HostName.VALUE + ",S=" + size;
    }

    private static final class HostName {
        static final String VALUE = compute();

        private static String compute() {
            String h;
            try {
                h = InetAddress.getLocalHost().getHostName();
            } catch (IOException e) {
                h = "localhost";
            }
            // Maildir reserves "/" and ":" in names
            return h.replace("/", "\\057").replace(":", "\\072");
        }
    }
}
