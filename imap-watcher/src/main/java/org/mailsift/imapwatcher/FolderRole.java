package org.mailsift.imapwatcher;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * What a folder means for learning. The server's SPECIAL-USE attribute (RFC 6154) wins; only when no folder of the
 * account carries {@code \Junk} (or {@code \Trash}) are folders recognised by name, case-insensitively, on the full
 * name or on the last path segment (so {@code INBOX.Spam} matches "Spam").
 */
public enum FolderRole {
    JUNK, TRASH, ELSEWHERE;

    /** A folder from LIST: its full name, hierarchy separator, and attributes such as {@code \Junk}, {@code \Noselect}. */
    public record Folder(String fullName, char separator, Set<String> attributes) {
        boolean has(String attribute) {
            return attributes.stream().anyMatch(a -> a.equalsIgnoreCase(attribute));
        }

        boolean selectable() {
            return !has("\\Noselect") && !has("\\NonExistent");
        }

        String leaf() {
            int i = separator == 0 ? -1 : fullName.lastIndexOf(separator);
            return i < 0 ? fullName : fullName.substring(i + 1);
        }
    }

    /** The roles of one account's folders. */
    public record Roles(List<Folder> junk, List<Folder> trash, List<Folder> elsewhere) {
        public FolderRole of(String fullName) {
            if (junk.stream().anyMatch(f -> f.fullName().equals(fullName))) {
                return JUNK;
            }
            if (trash.stream().anyMatch(f -> f.fullName().equals(fullName))) {
                return TRASH;
            }
            return ELSEWHERE;
        }

        public List<String> junkNames() {
            return junk.stream().map(Folder::fullName).toList();
        }
    }

    public static Roles resolve(Collection<Folder> folders, List<String> junkNames, List<String> trashNames) {
        List<Folder> selectable = folders.stream().filter(Folder::selectable).toList();
        List<Folder> junk = byRole(selectable, "\\Junk", junkNames);
        List<Folder> trash = byRole(selectable, "\\Trash", trashNames).stream().filter(f -> !junk.contains(f)).toList();
        List<Folder> elsewhere = new ArrayList<>(selectable);
        elsewhere.removeAll(junk);
        elsewhere.removeAll(trash);
        return new Roles(junk, trash, List.copyOf(elsewhere));
    }

    private static List<Folder> byRole(List<Folder> folders, String attribute, List<String> names) {
        List<Folder> flagged = folders.stream().filter(f -> f.has(attribute)).toList();
        if (!flagged.isEmpty()) {
            return flagged;
        }
        Set<String> wanted = names.stream().map(n -> n.toLowerCase(Locale.ROOT)).collect(Collectors.toSet());
        return folders.stream()
                .filter(f -> wanted.contains(f.fullName().toLowerCase(Locale.ROOT)) || wanted.contains(f.leaf().toLowerCase(Locale.ROOT)))
                .toList();
    }
}
