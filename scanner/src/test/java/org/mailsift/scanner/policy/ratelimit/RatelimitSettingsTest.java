package org.mailsift.scanner.policy.ratelimit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mailsift.core.config.ConfigDirectory;
import org.mailsift.core.config.ConfigException;

class RatelimitSettingsTest {
    @TempDir
    Path dir;

    private RatelimitSettings load(String local) throws IOException {
        Files.copy(Path.of("../etc/ratelimit.conf"), dir.resolve("ratelimit.conf"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.createDirectories(dir.resolve("local.d"));
        Files.writeString(dir.resolve("local.d/ratelimit.conf"), local);
        return RatelimitSettings.from(ConfigDirectory.open(dir));
    }

    @Test
    void theStockFileLimitsNothingAndWhitelistsPostmasterAndMailerDaemon() throws IOException {
        RatelimitSettings s = load("");
        assertThat(s.active()).isFalse();
        assertThat(s.whitelistedRcpts().get()).containsExactlyInAnyOrder("postmaster", "mailer-daemon");
        assertThat(s.expire().toDays()).isEqualTo(2);
        assertThat(s.redis()).isEmpty();
    }

    @Test
    void rspamdsFormsOfRatesParse() throws IOException {
        RatelimitSettings s = load("""
                rates {
                  sasl_user { selector = "user.lower"; bucket = { burst = 100; rate = "1 / 1m"; } }
                  to_ip_from { bucket = [ { burst = 20; rate = "100 / 1h"; }, { burst = "1k"; rate = 0.5; symbol = "RL_BIG"; } ] }
                  user = "10 / 1m";
                  bounce_to = [5, 0.1];
                  quiet { selector = "ip"; bucket { burst = 3; rate = "3 / 1d"; skip_soft_reject = true;
                          message = "slow down"; skip_recipients = true; ham_factor_rate = 1.5; } }
                }
                info_symbol = "R_RATELIMIT_INFO";
                whitelisted_user = ["backup", "Monitor"];
                whitelisted_ip = ["192.0.2.0/24"];
                """);
        assertThat(s.rates()).extracting(RatelimitSettings.RateLimit::name)
                .containsExactly("sasl_user", "to_ip_from", "user", "bounce_to", "quiet");
        RatelimitSettings.RateLimit sasl = s.rates().get(0);
        assertThat(sasl.selector().text()).isEqualTo("user.lower");
        assertThat(sasl.buckets().get(0).burst()).isEqualTo(100);
        assertThat(sasl.buckets().get(0).rate()).isEqualTo(1.0 / 60);
        assertThat(sasl.buckets().get(0).dynamic()).as("off by default, as current Rspamd").isFalse();
        RatelimitSettings.RateLimit tif = s.rates().get(1);
        assertThat(tif.keywords()).containsExactly("to", "ip", "from");
        assertThat(tif.buckets()).extracting(RateBucketConfig::burst).containsExactly(20.0, 1000.0);
        assertThat(tif.buckets().get(0).rate()).isEqualTo(100.0 / 3600);
        assertThat(tif.buckets().get(1).symbol()).isEqualTo("RL_BIG");
        assertThat(s.rates().get(2).buckets().get(0)).satisfies(b -> {
            assertThat(b.burst()).isEqualTo(10);
            assertThat(b.rate()).isEqualTo(10.0 / 60);
        });
        assertThat(s.rates().get(3).buckets().get(0).rate()).isEqualTo(0.1);
        RateBucketConfig quiet = s.rates().get(4).buckets().get(0);
        assertThat(quiet.skipSoftReject()).isTrue();
        assertThat(quiet.skipRecipients()).isTrue();
        assertThat(quiet.message()).isEqualTo("slow down");
        assertThat(quiet.dynamic()).as("a bucket's own factor turns dynamic limits on").isTrue();
        assertThat(quiet.hamFactorRate()).isEqualTo(1.5);
        assertThat(s.infoSymbol()).isEqualTo("R_RATELIMIT_INFO");
        assertThat(s.whitelistedUser().get()).containsExactlyInAnyOrder("backup", "monitor");
        assertThat(s.whitelistedIp().get().contains("192.0.2.77")).isTrue();
    }

    @Test
    void aBadSelectorIsAnErrorAtItsFileLineAndColumn() {
        assertThatThrownBy(() -> load("rates {\n  r1 { selector = \"user;frm\"; bucket { burst = 1; rate = 1; } }\n}\n"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("local.d/ratelimit.conf:2:")
                .hasMessageContaining("unknown extractor 'frm'");
    }

    @Test
    void aRateWithoutSelectorMustBeNamedByKeywords() {
        assertThatThrownBy(() -> load("rates { per_sender { bucket { burst = 1; rate = 1; } } }"))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("local.d/ratelimit.conf:1:")
                .hasMessageContaining("'per' is not one of Rspamd's rate keywords");
    }

    @Test
    void badLimitsAreErrors() {
        assertThatThrownBy(() -> load("rates { ip { bucket { burst = 10; rate = \"ten / 1m\"; } } }"))
                .hasMessageContaining("bad limit \"ten / 1m\"");
        assertThatThrownBy(() -> load("rates { ip { bucket { burst = 0; rate = 1; } } }"))
                .hasMessageContaining("burst must be positive");
        assertThatThrownBy(() -> load("rates { ip { bucket { rate = 1; } } }"))
                .hasMessageContaining("bucket needs burst");
    }

    @Test
    void rspamdsBucketKeysAreReproduced() {
        assertThat(LuaNumbers.format(1.0 / 60)).isEqualTo("0.016666666666667");
        assertThat(LuaNumbers.format(100)).isEqualTo("100");
        assertThat(LuaNumbers.format(100.0 / 3600)).isEqualTo("0.027777777777778");
        assertThat(LuaNumbers.format(1e-5)).isEqualTo("1e-05");
        assertThat(RateKeys.hash("RL", "1000:0.016666666666667:alice")).startsWith("RL").hasSize(26);
        assertThat(RateKeys.hash("RL", "1:a")).hasSize(5);
    }
}
