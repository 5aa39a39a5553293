package org.mailsift.imapwatcher;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.Set;

import org.mailsift.core.learn.LearnClass;

/**
 * What the bootstrap of one account has done, so that a restart or a second run never learns a message twice and goes
 * on where it stopped: an append-only text file {@code <data>/imap-watcher/<account>.bootstrap}, one line per message
 * as soon as it was learned (or given up as unreadable), and {@code complete} once nothing was left to do. A line cut
 * short by a crash is ignored; the message it was about is then learned again, which the Bayes store's learned-message
 * cache answers with "already learned". The file is locked while a run uses it, so the daemon and
 * {@code mailsift learn-folders} never work on one account at the same time.
 *
 * <pre>
 * learned	spam	Junk	1732000000	57
 * unreadable	INBOX	1732000000	12
 * complete	1733230000
 * </pre>
 */
final class BootstrapState implements AutoCloseable {
    private static final String HEADER = "# mailsift imap bootstrap v1: learned CLASS FOLDER UIDVALIDITY UID / unreadable FOLDER UIDVALIDITY UID / complete EPOCH";

    private final Set<String> done = new HashSet<>();
    private long learnedSpam;
    private long learnedHam;
    private boolean complete;
    private final FileChannel channel;
    private final FileLock lock;
    private final BufferedWriter out;

    private BootstrapState(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
        this.out = new BufferedWriter(Channels.newWriter(channel, StandardCharsets.UTF_8));
    }

    static Path fileFor(Path stateDir, String account) {
        return stateDir.resolve(AccountState.safeName(account) + ".bootstrap");
    }

    /**
     * Opens (creating) and locks the account's state; null when another process or run holds it.
     */
    static BootstrapState open(Path file) throws IOException {
        Files.createDirectories(file.getParent());
        FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = ch.tryLock();
        } catch (java.nio.channels.OverlappingFileLockException e) {
            lock = null;
        }
        if (lock == null) {
            ch.close();
            return null;
        }
        BootstrapState s = new BootstrapState(ch, lock);
        String text = Files.readString(file, StandardCharsets.UTF_8);
        boolean whole = text.isEmpty() || text.endsWith("\n");
        String[] lines = text.split("\n", -1);
        for (int i = 0; i < lines.length; i++) {
            if (i == lines.length - 1 && !whole) {
                break; // cut short by a crash
            }
            s.read(lines[i]);
        }
        ch.position(ch.size());
        if (!whole) {
            s.out.write('\n'); // start the next record on its own line
        }
        if (text.isEmpty()) {
            s.append(HEADER);
        }
        return s;
    }

    private void read(String line) {
        try {
            parse(line);
        } catch (RuntimeException malformed) {
            // a record a crash cut short (terminated when the file was next opened): its message is simply done again
        }
    }

    private void parse(String line) {
        String[] p = line.split("\t", -1);
        switch (p[0]) {
            case "learned" -> {
                if (p.length >= 5 && done.add(key(p[2], Long.parseLong(p[3]), Long.parseLong(p[4])))) {
                    if (p[1].equals("spam")) {
                        learnedSpam++;
                    } else {
                        learnedHam++;
                    }
                }
            }
            case "unreadable" -> {
                if (p.length >= 4) {
                    done.add(key(p[1], Long.parseLong(p[2]), Long.parseLong(p[3])));
                }
            }
            case "complete" -> complete = true;
            default -> { } // comment, blank, or a newer version's record
        }
    }

    /** Whether a message was learned or given up by an earlier run. */
    boolean done(String folder, long uidValidity, long uid) {
        return done.contains(key(folder, uidValidity, uid));
    }

    long learned(LearnClass c) {
        return c == LearnClass.SPAM ? learnedSpam : learnedHam;
    }

    boolean complete() {
        return complete;
    }

    void learned(LearnClass c, String folder, long uidValidity, long uid) {
        if (done.add(key(folder, uidValidity, uid))) {
            if (c == LearnClass.SPAM) {
                learnedSpam++;
            } else {
                learnedHam++;
            }
        }
        append("learned\t" + c.label() + "\t" + folder + "\t" + uidValidity + "\t" + uid);
    }

    void unreadable(String folder, long uidValidity, long uid) {
        done.add(key(folder, uidValidity, uid));
        append("unreadable\t" + folder + "\t" + uidValidity + "\t" + uid);
    }

    void markComplete() {
        complete = true;
        append("complete\t" + System.currentTimeMillis() / 1000);
        sync();
    }

    private void append(String line) {
        try {
            out.write(line);
            out.write('\n');
            out.flush(); // in the file (the OS's cache) before the next message is learned
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the bootstrap state: " + e.getMessage(), e);
        }
    }

    /** Forces what was written to disk (at the end of each batch and of the run). */
    void sync() {
        try {
            out.flush();
            channel.force(false);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the bootstrap state: " + e.getMessage(), e);
        }
    }

    private static String key(String folder, long uidValidity, long uid) {
        return folder + '\u0000' + uidValidity + '\u0000' + uid;
    }

    @Override
    public void close() {
        try {
            sync();
        } catch (UncheckedIOException ignored) {
            // reported by the write that failed
        }
        try {
            lock.release();
            channel.close();
        } catch (IOException ignored) {
            // closing anyway
        }
    }
}
