package org.mailsift.scanner.store.redis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

class SentinelAddressTest {
    @Test
    void aSentinelUriNamesTheSentinelsTheirPasswordTheDatabaseAndTheMaster() {
        SentinelAddress a = SentinelAddress.parse("redis-sentinel://:s%40cret@10.0.0.1,10.0.0.2:5001/3#mymaster", 0);

        assertThat(a.hosts()).containsExactly("10.0.0.1", "10.0.0.2");
        assertThat(a.ports()).containsExactly(SentinelAddress.DEFAULT_PORT, 5001);
        assertThat(a.sentinelPassword()).isEqualTo("s@cret");
        assertThat(a.db()).isEqualTo(3);
        assertThat(a.master()).isEqualTo("mymaster");
    }

    @Test
    void withoutMasterOrDatabaseTheSentinelsAreAskedAndTheConfiguredDatabaseIsUsed() {
        SentinelAddress a = SentinelAddress.parse("redis-sentinel://127.0.0.1:26380", 2);

        assertThat(a.master()).isNull();
        assertThat(a.db()).isEqualTo(2);
        assertThat(a.sentinelPassword()).isNull();
    }

    @Test
    void rspamdsLuaMasterPatternsMatchAsInLua() {
        Pattern p = Pattern.compile(SentinelAddress.luaToRegex("^mymaster%-%d.-$"));

        assertThat(p.matcher("mymaster-1").find()).isTrue();
        assertThat(p.matcher("mymaster-12x").find()).isTrue();
        assertThat(p.matcher("mymasterX1").find()).isFalse();
        assertThat(p.matcher("other").find()).isFalse();
    }
}
