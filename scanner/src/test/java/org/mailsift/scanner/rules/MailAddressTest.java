package org.mailsift.scanner.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import org.junit.jupiter.api.Test;

/** Address header parsing, and the per-thread memory of the last parses that a scan's many readers share. */
class MailAddressTest {
    @Test
    void aHeaderReadAgainGivesTheSameAddressesAsTheFirstParse() {
        String from = new String("\"Jane Doe\" <jane@Example.COM>, bob@example.org");
        List<MailAddress> first = MailAddress.parseList(from);
        assertThat(first).extracting(MailAddress::addr).containsExactly("jane@Example.COM", "bob@example.org");
        assertThat(first).extracting(MailAddress::domain).containsExactly("example.com", "example.org");
        assertThat(first.get(0).name()).isEqualTo("Jane Doe");
        // an equal text held by another String, after other headers pushed it back
        for (int i = 0; i < 5; i++) {
            MailAddress.parseList("user" + i + "@example.net");
        }
        assertThat(MailAddress.parseList(new String(from))).isEqualTo(first);
    }

    @Test
    void manyDifferentHeadersEachGetTheirOwnAddresses() {
        for (int i = 0; i < 50; i++) {
            assertThat(MailAddress.parseList("u" + i + "@d" + (i % 7) + ".example"))
                    .extracting(MailAddress::addr).containsExactly("u" + i + "@d" + (i % 7) + ".example");
        }
    }

    @Test
    void theListIsReadOnlySoOneReaderCannotChangeAnothersAddresses() {
        List<MailAddress> list = MailAddress.parseList("a@example.com");
        assertThatThrownBy(() -> list.add(MailAddress.of(null, "x@example.com", "x@example.com")))
                .isInstanceOf(UnsupportedOperationException.class);
        assertThat(MailAddress.parseList("   ")).isEmpty();
        assertThat(MailAddress.parseList(null)).isEmpty();
    }
}
