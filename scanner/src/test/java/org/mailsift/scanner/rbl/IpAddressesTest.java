package org.mailsift.scanner.rbl;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import com.google.common.net.InetAddresses;
import org.junit.jupiter.api.Test;

class IpAddressesTest {
    @Test
    void dottedQuadsAreReadAsGuavaReadsThem() {
        List<String> texts = new ArrayList<>(List.of("1.2.3.4", "255.255.255.255", "256.1.1.1", "01.2.3.4", "0.0.0.0",
                "1.2.3", "1.2.3.4.5", "1..3.4", ".1.2.3", "1.2.3.", "1234.1.1.1", "[192.0.2.1]", " 192.0.2.1 ",
                "\u0661\u0662\u0667.0.0.1", "\u0660\u0661.0.0.1", "IPv6:::1", "2001:db8::1", "[IPv6:2001:db8::2]"));
        Random random = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            StringBuilder sb = new StringBuilder();
            for (int k = random.nextInt(16); k >= 0; k--) {
                sb.append("0123456789..".charAt(random.nextInt(12)));
            }
            texts.add(sb.toString());
        }
        for (String t : texts) {
            String s = t.strip().replace("[", "").replace("]", "").replace("IPv6:", "");
            InetAddress expected = InetAddresses.isInetAddress(s) ? InetAddresses.forString(s) : null;
            assertThat(IpAddresses.parse(t)).as(t).isEqualTo(expected);
        }
    }
}
