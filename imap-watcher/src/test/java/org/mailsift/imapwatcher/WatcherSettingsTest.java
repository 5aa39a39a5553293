package org.mailsift.imapwatcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailsift.core.config.ConfigDirectory;
import org.mailsift.core.config.ConfigException;

class WatcherSettingsTest {
    @TempDir
    Path etc;

    private ConfigDirectory config(String text) throws Exception {
        Files.createDirectories(etc.resolve("local.d"));
        Files.writeString(etc.resolve("local.d/imap_watcher.conf"), text);
        return ConfigDirectory.open(etc);
    }

    @Test
    void theIssuesExampleParses() throws Exception {
        Files.createDirectories(etc.resolve("secrets"));
        Files.writeString(etc.resolve("secrets/bob"), "bob-secret\n");
        ConfigDirectory c = config("""
                enabled = true;
                account "alice" {
                  host = "imap.example.org"; port = 993; tls = "implicit";
                  user = "alice"; password = "alice-pw";
                }
                account "bob" { host = "imap.example.org"; tls = "starttls"; user = "bob@example.org"; password_file = "secrets/bob"; }
                account "carol" { host = "imap.example.org"; user = "carol"; password = "x"; enabled = false; }
                poll_interval = 30s;
                """);
        WatcherSettings s = WatcherSettings.from(c);
        assertThat(s.enabled()).isTrue();
        assertThat(WatcherSettings.enabledIn(c)).isTrue();
        assertThat(s.accounts()).hasSize(3);
        AccountSettings alice = s.accounts().get(0);
        assertThat(alice).extracting(AccountSettings::host, AccountSettings::port, AccountSettings::tls, AccountSettings::loginUser)
                .containsExactly("imap.example.org", 993, Tls.IMPLICIT, "alice");
        AccountSettings bob = s.accounts().get(1);
        assertThat(bob.port()).isEqualTo(143);
        assertThat(bob.tls()).isEqualTo(Tls.STARTTLS);
        assertThat(bob.password()).isEqualTo("bob-secret");
        assertThat(bob.learnUser()).isEqualTo("bob@example.org");
        assertThat(s.accounts().get(2).enabled()).isFalse();
        assertThat(s.accounts().get(2).tls()).isEqualTo(Tls.IMPLICIT); // remote host: TLS unless said otherwise
        assertThat(s.junkFolders()).containsExactly("Junk", "Spam", "Junk E-mail", "Junk Email", "Bulk Mail");
        assertThat(s.pollInterval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(alice.toString()).doesNotContain("alice-pw");
        assertThat(c.warnings()).isEmpty();
    }

    @Test
    void unknownOptionsAndUnreadablePasswordFilesAreWarnedNotFatal() throws Exception {
        ConfigDirectory c = config("""
                enabled = true;
                junk_folder = "Spam";
                account "dave" { host = "127.0.0.1"; user = "dave"; password_file = "/nonexistent/secret"; colour = "red"; }
                """);
        WatcherSettings s = WatcherSettings.from(c);
        assertThat(c.warnings()).anySatisfy(w -> assertThat(w).contains("unknown option 'junk_folder'"));
        assertThat(c.warnings()).anySatisfy(w -> assertThat(w).contains("unknown option 'colour'"));
        assertThat(s.accounts().get(0).problem()).contains("cannot read password_file");
        assertThat(s.accounts().get(0).tls()).isEqualTo(Tls.NONE); // loopback
    }

    @Test
    void masterUserModeNeedsAUserList() throws Exception {
        assertThatThrownBy(() -> WatcherSettings.from(config("master_user = \"mailsift\"; master_password = \"pw\";\n")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("users_file or users_command");
        WatcherSettings s = WatcherSettings.from(config("""
                host = "127.0.0.1"; port = 143;
                master_user = "mailsift"; master_password = "pw"; users_command = "doveadm user '*'";
                """));
        assertThat(s.master().accountFor("alice").loginUser()).isEqualTo("alice*mailsift");
        assertThat(s.master().accountFor("alice").learnUser()).isEqualTo("alice");
        assertThat(s.enabled()).isFalse();
    }

    @Test
    void aBadTlsValueIsAnErrorWithItsPosition() throws Exception {
        assertThatThrownBy(() -> WatcherSettings.from(config("account \"a\" { host = \"x\"; tls = \"sometimes\"; password = \"p\"; }\n")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("imap_watcher.conf:1");
    }

    @Test
    void bootstrapOptionsHaveSensibleDefaultsAndABadBalanceNamesItsLine() throws Exception {
        BootstrapSettings d = WatcherSettings.from(config("enabled = true;\n")).bootstrap();
        assertThat(d).isEqualTo(BootstrapSettings.defaults());
        assertThat(d.enabled()).isFalse();
        assertThat(d.minAge()).isEqualTo(Duration.ofDays(14));
        assertThat(d.hamFolders()).containsExactly("INBOX", "Archive", "Archives");

        ConfigDirectory c = config("""
                bootstrap = true;
                bootstrap_ham_folders = ["INBOX", "Done"];
                bootstrap_min_age = 30d; bootstrap_max_per_class = 250; bootstrap_balance = 1.5; bootstrap_max_size = 2mb;
                """);
        BootstrapSettings b = WatcherSettings.from(c).bootstrap();
        assertThat(b).isEqualTo(new BootstrapSettings(true, java.util.List.of("INBOX", "Done"), Duration.ofDays(30), 250, 1.5,
                2L << 20));
        assertThat(c.warnings()).isEmpty();

        assertThatThrownBy(() -> WatcherSettings.from(config("enabled = true;\nbootstrap_balance = 0.5;\n")))
                .isInstanceOf(ConfigException.class).hasMessageContaining("imap_watcher.conf:2")
                .hasMessageContaining("bootstrap_balance must be 1 or more");
    }
}
