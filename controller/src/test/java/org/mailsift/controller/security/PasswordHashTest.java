package org.mailsift.controller.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class PasswordHashTest {
    @Test
    void aHashVerifiesItsPassphraseAndNothingElse() {
        String stored = PasswordHash.create("correct horse", 1000);

        PasswordHash h = PasswordHash.parse(stored).orElseThrow();

        assertThat(stored).startsWith("$pbkdf2-sha256$i=1000$").doesNotContain("correct horse");
        assertThat(h.matches("correct horse")).isTrue();
        assertThat(h.matches("correct horse ")).isFalse();
        assertThat(h.matches("")).isFalse();
    }

    @Test
    void theSamePassphraseHashesDifferentlyEachTime() {
        assertThat(PasswordHash.create("pass", 1000)).isNotEqualTo(PasswordHash.create("pass", 1000));
    }

    @Test
    void defaultStrengthIs310kIterations() {
        assertThat(PasswordHash.create("x")).startsWith("$pbkdf2-sha256$i=310000$");
    }

    @Test
    void plaintextSecretsStillWorkAndMalformedHashesAreRefusedAtLoad() {
        assertThat(Secret.of("plain").orElseThrow().matches("plain")).isTrue();
        assertThat(Secret.of("plain").orElseThrow().isHashed()).isFalse();
        assertThat(Secret.of("")).isEmpty();
        assertThatThrownBy(() -> Secret.of("$pbkdf2-sha256$i=abc$x$y")).hasMessageContaining("malformed password hash");
    }

    @Test
    void rspamdsOwnHashFormatIsNotMistakenForPlaintextButRefused() {
        // "$2$..." is rspamadm's catena format: we cannot verify it, and the hash text must never become the password
        assertThatThrownBy(() -> Secret.of("$2$3577dxegjpppqch6t543ism8pc9gtrwk$zid68"))
                .hasMessageContaining("mailsift pw");
    }
}
