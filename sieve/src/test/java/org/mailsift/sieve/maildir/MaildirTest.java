package org.mailsift.sieve.maildir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MaildirTest {
    @TempDir
    Path tmp;

    static final byte[] MESSAGE = "Subject: hi\n\nhello\n".getBytes(StandardCharsets.US_ASCII);

    @Test
    void unflaggedMessageLandsCompleteInNewWithDovecotStyleName() throws Exception {
        Maildir md = new Maildir(tmp.resolve("Maildir"));
        md.create("INBOX");
        Path file = md.deliver("INBOX", MESSAGE, Set.of());
        assertThat(file.getParent()).isEqualTo(tmp.resolve("Maildir/new"));
        assertThat(file.getFileName().toString()).matches("\\d+\\.M\\d+P\\d+Q\\d+\\.[^/:]+,S=" + MESSAGE.length);
        assertThat(Files.readAllBytes(file)).isEqualTo(MESSAGE);
        try (Stream<Path> s = Files.list(tmp.resolve("Maildir/tmp"))) {
            assertThat(s).isEmpty();
        }
    }

    @Test
    void flaggedMessageGoesToCurWithSortedInfoLetters() throws Exception {
        Maildir md = new Maildir(tmp.resolve("Maildir"));
        md.create("INBOX");
        Path file = md.deliver("INBOX", MESSAGE, EnumSet.of(MaildirFlag.SEEN, MaildirFlag.FLAGGED, MaildirFlag.REPLIED));
        assertThat(file.getParent()).isEqualTo(tmp.resolve("Maildir/cur"));
        assertThat(file.getFileName().toString()).endsWith(":2,FRS");
    }

    @Test
    void namesAreUniqueWithinOneProcess() throws Exception {
        Maildir md = new Maildir(tmp.resolve("Maildir"));
        md.create("INBOX");
        Set<String> names = new java.util.HashSet<>();
        for (int i = 0; i < 200; i++) {
            names.add(md.deliver("INBOX", MESSAGE, Set.of()).getFileName().toString());
        }
        assertThat(names).hasSize(200);
    }

    @Test
    void subFolderIsMaildirPlusPlusWithMarkerAndRootPermissions() throws Exception {
        Path root = Files.createDirectory(tmp.resolve("Maildir"), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxrwx---")));
        Files.setPosixFilePermissions(root, PosixFilePermissions.fromString("rwxrwx---"));
        Maildir md = new Maildir(root);
        md.create("Archive/2024");
        Path dir = root.resolve(".Archive.2024");
        for (String sub : List.of("cur", "new", "tmp")) {
            assertThat(dir.resolve(sub)).isDirectory();
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(sub)))).isEqualTo("rwxrwx---");
        }
        assertThat(dir.resolve("maildirfolder")).exists();
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("maildirfolder")))).isEqualTo("rw-rw----");
        assertThat(md.exists("Archive/2024")).isTrue();
        assertThat(md.exists("Archive")).isFalse();
    }

    @Test
    void nonAsciiNamesUseModifiedUtf7LikeDovecot() {
        assertThat(MailboxNames.directoryName("Entwürfe")).isEqualTo(".Entw&APw-rfe");
        assertThat(MailboxNames.directoryName("A&B")).isEqualTo(".A&-B");
    }

    @Test
    void namesThatEscapeTheMaildirAreRefused() {
        for (String bad : List.of("../x", "a/../b", ".hidden", "a.b", "/abs", "")) {
            assertThatThrownBy(() -> MailboxNames.directoryName(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }
}
