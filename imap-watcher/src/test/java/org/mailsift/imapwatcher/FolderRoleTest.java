package org.mailsift.imapwatcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.mailsift.imapwatcher.FolderRole.Folder;

class FolderRoleTest {
    private static Folder f(String name, String... attrs) {
        return new Folder(name, '/', Set.of(attrs));
    }

    @Test
    void specialUseWinsOverNames() {
        FolderRole.Roles roles = FolderRole.resolve(List.of(f("INBOX"), f("Junk"), f("Courrier indésirable", "\\Junk"),
                f("Corbeille", "\\Trash"), f("Trash")), WatcherSettings.DEFAULT_JUNK, WatcherSettings.DEFAULT_TRASH);
        assertThat(roles.junkNames()).containsExactly("Courrier indésirable");
        assertThat(roles.of("Corbeille")).isEqualTo(FolderRole.TRASH);
        // without \Junk on it, a folder merely named Junk is an ordinary folder here
        assertThat(roles.of("Junk")).isEqualTo(FolderRole.ELSEWHERE);
        assertThat(roles.of("Trash")).isEqualTo(FolderRole.ELSEWHERE);
    }

    @Test
    void withoutSpecialUseNamesMatchCaseInsensitivelyOnTheLeaf() {
        FolderRole.Roles roles = FolderRole.resolve(List.of(new Folder("INBOX", '.', Set.of()),
                        new Folder("INBOX.junk e-mail", '.', Set.of()), new Folder("INBOX.Deleted Items", '.', Set.of()),
                        new Folder("INBOX.Archive", '.', Set.of())),
                WatcherSettings.DEFAULT_JUNK, WatcherSettings.DEFAULT_TRASH);
        assertThat(roles.junkNames()).containsExactly("INBOX.junk e-mail");
        assertThat(roles.of("INBOX.Deleted Items")).isEqualTo(FolderRole.TRASH);
        assertThat(roles.of("INBOX.Archive")).isEqualTo(FolderRole.ELSEWHERE);
    }

    @Test
    void configuredNamesReplaceTheDefaults() {
        FolderRole.Roles roles = FolderRole.resolve(List.of(f("INBOX"), f("Spam"), f("Pourriel")), List.of("pourriel"), List.of());
        assertThat(roles.junkNames()).containsExactly("Pourriel");
        assertThat(roles.of("Spam")).isEqualTo(FolderRole.ELSEWHERE);
    }

    @Test
    void unselectableFoldersAreIgnored() {
        FolderRole.Roles roles = FolderRole.resolve(List.of(f("INBOX"), f("Junk", "\\Noselect")),
                WatcherSettings.DEFAULT_JUNK, WatcherSettings.DEFAULT_TRASH);
        assertThat(roles.junk()).isEmpty();
        assertThat(roles.elsewhere()).extracting(Folder::fullName).containsExactly("INBOX");
    }
}
