package org.mailsift.imapwatcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AccountStateTest {
    @TempDir
    Path dir;

    @Test
    void stateSurvivesARestart() {
        Path file = AccountState.fileFor(dir, "alice@example.org");
        AccountState s = AccountState.load(file);
        assertThat(s.isNew()).isTrue();
        MailboxState junk = s.folderOrCreate("Junk E-mail", 1700000000L, 43, 99);
        junk.contents().put(12L, MessageIdentity.of("<a b@x>", "raw bytes".getBytes()));
        junk.contents().put(40L, new MessageIdentity(null, 5120, null));
        s.folderOrCreate("INBOX", 1700000001L, 1000, 0);
        s.save();

        AccountState again = AccountState.load(file);
        assertThat(again.isNew()).isFalse();
        assertThat(again.folder("Junk E-mail").uidValidity()).isEqualTo(1700000000L);
        assertThat(again.folder("Junk E-mail").uidNext()).isEqualTo(43);
        assertThat(again.folder("Junk E-mail").highestModSeq()).isEqualTo(99);
        assertThat(again.folder("Junk E-mail").contents()).isEqualTo(junk.contents());
        assertThat(again.folder("Junk E-mail").highestUid()).isEqualTo(40);
        assertThat(again.folder("INBOX").uidNext()).isEqualTo(1000);
    }

    @Test
    void accountNamesBecomeSafeDistinctFileNames() {
        assertThat(AccountState.fileFor(dir, "alice").getFileName().toString()).isEqualTo("alice.state");
        assertThat(AccountState.fileFor(dir, "../etc/x")).isNotEqualTo(AccountState.fileFor(dir, "__etc_x"));
        assertThat(AccountState.fileFor(dir, "../etc/x").getParent()).isEqualTo(dir);
    }

    @Test
    void aDamagedFileStartsOverInsteadOfFailing() throws Exception {
        Path file = AccountState.fileFor(dir, "bob");
        Files.writeString(file, "folder\tJunk\tnot-a-number\t1\t0\n");
        assertThat(AccountState.load(file).isNew()).isTrue();
    }

    @Test
    void identitiesMatchByMessageIdSizeAndDigest() {
        MessageIdentity full = MessageIdentity.of("<m@x>", "Message-ID: <m@x>\r\n\r\nbody".getBytes());
        MessageIdentity headersOnly = new MessageIdentity("<m@x>", full.size(), null);
        MessageIdentity otherBytes = MessageIdentity.of("<m@x>", "Message-ID: <m@x>\r\n\r\nBODY".getBytes());
        assertThat(full.sameMessage(headersOnly)).isTrue();
        assertThat(full.sameMessage(otherBytes)).isFalse(); // same id, same size, different content
        assertThat(full.sameMessage(new MessageIdentity("<n@x>", full.size(), null))).isFalse();
        assertThat(MessageIdentity.parse(full.serialize())).isEqualTo(full);
        assertThat(MessageIdentity.parse(new MessageIdentity(null, 7, null).serialize())).isEqualTo(new MessageIdentity(null, 7, null));
    }
}
