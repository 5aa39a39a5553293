package org.mailsift.dns;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import org.junit.jupiter.api.Test;
import org.mailsift.core.dns.DnsAnswer;
import org.mailsift.core.dns.DnsRecordType;
import org.mailsift.core.dns.DnsStatus;

class AnswerCacheTest {
    private static final long SECOND = 1_000_000_000L;

    private static DnsAnswer answer(String name, DnsRecordType type, long ttl) {
        return new DnsAnswer(name, type, DnsStatus.OK, List.of("127.0.0.2"), ttl);
    }

    @Test
    void anAnswerIsFoundByItsNameAndTypeUntilItsTtlEnds() {
        AnswerCache cache = new AnswerCache(100);
        DnsAnswer a = answer("2.0.0.127.zen.example", DnsRecordType.A, 60);
        cache.put("2.0.0.127.zen.example", DnsRecordType.A, a, 0);

        // an equal name built elsewhere (not the same String object) finds it
        String asked = new StringBuilder("2.0.0.127.").append("zen.example").toString();
        assertThat(cache.get(asked, DnsRecordType.A, 59 * SECOND).join()).isSameAs(a);
        assertThat(cache.get(asked, DnsRecordType.TXT, 59 * SECOND)).isNull();
        assertThat(cache.get("3.0.0.127.zen.example", DnsRecordType.A, 59 * SECOND)).isNull();
        assertThat(cache.get(asked, DnsRecordType.A, 60 * SECOND)).isNull();
        assertThat(cache.size()).isZero(); // the expired entry went when it was asked for
    }

    @Test
    void theSameNameKeepsOneAnswerPerType() {
        AnswerCache cache = new AnswerCache(100);
        DnsAnswer a = answer("example.com", DnsRecordType.A, 60);
        DnsAnswer txt = new DnsAnswer("example.com", DnsRecordType.TXT, DnsStatus.NXDOMAIN, List.of(), 30);
        cache.put("example.com", DnsRecordType.A, a, 0);
        cache.put("example.com", DnsRecordType.TXT, txt, 0);

        assertThat(cache.get("example.com", DnsRecordType.A, 0).join()).isSameAs(a);
        assertThat(cache.get("example.com", DnsRecordType.TXT, 0).join()).isSameAs(txt);
        assertThat(cache.size()).isEqualTo(2);
    }

    @Test
    void anAnswerFoundByLabelExpiresWithTheNamesEntry() {
        AnswerCache cache = new AnswerCache(100);
        DnsAnswer a = answer("example.com.multi.example", DnsRecordType.A, 60);
        cache.put("example.com.multi.example", DnsRecordType.A, a, 0);
        assertThat(cache.get("example.com", "multi.example", DnsRecordType.A, 0)).isNull();

        cache.putLabelled("example.com", "multi.example", DnsRecordType.A,
                cache.get("example.com.multi.example", DnsRecordType.A, 30 * SECOND), 30 * SECOND);
        String zone = new StringBuilder("multi.").append("example").toString();
        assertThat(cache.get("example.com", zone, DnsRecordType.A, 59 * SECOND).join()).isSameAs(a);
        assertThat(cache.get("example.com", "other.example", DnsRecordType.A, 59 * SECOND)).isNull();
        assertThat(cache.get("example.com", zone, DnsRecordType.AAAA, 59 * SECOND)).isNull();
        assertThat(cache.get("example.com", zone, DnsRecordType.A, 60 * SECOND)).isNull();
        assertThat(cache.size()).isEqualTo(2);
    }

    @Test
    void answersWithoutTtlAreNotKeptAndAFullCacheDropsExpiredThenOldEntries() {
        AnswerCache cache = new AnswerCache(8);
        cache.put("no-ttl.example", DnsRecordType.A, answer("no-ttl.example", DnsRecordType.A, 0), 0);
        assertThat(cache.size()).isZero();

        for (int i = 0; i < 8; i++) {
            cache.put("short" + i + ".example", DnsRecordType.A, answer("short" + i + ".example", DnsRecordType.A, 1), 0);
        }
        cache.put("long.example", DnsRecordType.MX, answer("long.example", DnsRecordType.MX, 60), 2 * SECOND);
        assertThat(cache.size()).isEqualTo(1); // the eight expired ones made room
        for (int i = 0; i < 20; i++) {
            cache.put("n" + i + ".example", DnsRecordType.A, answer("n" + i + ".example", DnsRecordType.A, 60), 2 * SECOND);
            assertThat(cache.size()).isLessThanOrEqualTo(8);
        }
    }
}
