package org.mailsift.scanner.hfilter;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Host name patterns ({@code patterns.txt}: mailsift's own patterns, Rspamd's symbols and weights): names that look
 * like dial-up, DSL, cable or pool addresses get a weight 1-5 (HFILTER_HELO_n / HFILTER_HOSTNAME_n), HELO names
 * without a dot a 5, and HELO addresses are told bad (private, reserved) or bare. The patterns of one weight are searched as one
 * alternation, heaviest first, and a name's weight is remembered (HELO names repeat from message to message).
 */
final class HostPatterns {
    static final HostPatterns STOCK = load("/org/mailsift/scanner/hfilter/patterns.txt");
    private static final int MEMO_LIMIT = 10_000;

    private final List<Weighted> heloWeights;
    private final List<Weighted> hostWeights;
    private final Pattern badIp;
    private final Pattern bareIp;
    private final Map<String, Integer> heloMemo = new ConcurrentHashMap<>();
    private final Map<String, Integer> hostMemo = new ConcurrentHashMap<>();
    private final Map<String, Integer> addressMemo = new ConcurrentHashMap<>();

    private record Weighted(int weight, Pattern pattern) {
    }

    private HostPatterns(List<Weighted> heloWeights, List<Weighted> hostWeights, Pattern badIp, Pattern bareIp) {
        this.heloWeights = heloWeights;
        this.hostWeights = hostWeights;
        this.badIp = badIp;
        this.bareIp = bareIp;
    }

    /** The weight (0 when none matches) of a HELO name: the host patterns and the HELO-only ones. */
    int heloWeight(String helo) {
        return weight(helo, heloWeights, heloMemo);
    }

    /** The weight (0 when none matches) of the client's host name. */
    int hostnameWeight(String hostname) {
        return weight(hostname, hostWeights, hostMemo);
    }

    /** A HELO address literal of a special-purpose range (a name that merely starts like one is not). */
    boolean isBadIp(String helo) {
        return (addressKind(helo) & (BAD_IP | BARE_IP)) == (BAD_IP | BARE_IP);
    }

    boolean isBareIp(String helo) {
        return (addressKind(helo) & BARE_IP) != 0;
    }

    private static final int BAD_IP = 1;
    private static final int BARE_IP = 2;

    /** Whether a HELO name matches the bad-IP and bare-IP patterns (bits), remembered as the weights are. */
    private int addressKind(String helo) {
        Integer known = addressMemo.get(helo);
        if (known != null) {
            return known;
        }
        int kind = (badIp.matcher(helo).find() ? BAD_IP : 0) | (bareIp.matcher(helo).find() ? BARE_IP : 0);
        if (addressMemo.size() >= MEMO_LIMIT) {
            addressMemo.clear();
        }
        addressMemo.put(helo, kind);
        return kind;
    }

    private static int weight(String name, List<Weighted> patterns, Map<String, Integer> memo) {
        Integer known = memo.get(name);
        if (known != null) {
            return known;
        }
        int w = 0;
        for (Weighted p : patterns) {
            if (p.pattern.matcher(name).find()) {
                w = p.weight;
                break;
            }
        }
        if (memo.size() >= MEMO_LIMIT) {
            memo.clear();
        }
        memo.put(name, w);
        return w;
    }

    static HostPatterns load(String resource) {
        Map<Integer, List<String>> host = new TreeMap<>((a, b) -> b - a);
        Map<Integer, List<String>> helo = new TreeMap<>((a, b) -> b - a);
        List<String> bad = new ArrayList<>();
        List<String> bare = new ArrayList<>();
        try (InputStream in = HostPatterns.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("missing resource " + resource);
            }
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            while ((line = r.readLine()) != null) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.split(" ", 4);
                String re = f[2].contains("i") ? "(?i:" + f[3] + ")" : "(?:" + f[3] + ")";
                switch (f[0]) {
                    case "host" -> {
                        host.computeIfAbsent(Integer.parseInt(f[1]), k -> new ArrayList<>()).add(re);
                        helo.computeIfAbsent(Integer.parseInt(f[1]), k -> new ArrayList<>()).add(re);
                    }
                    case "helo" -> helo.computeIfAbsent(Integer.parseInt(f[1]), k -> new ArrayList<>()).add(re);
                    case "badip" -> bad.add(re);
                    case "bareip" -> bare.add(re);
                    default -> throw new IllegalStateException(resource + ": unknown section " + f[0]);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new HostPatterns(alternations(helo), alternations(host), Pattern.compile(String.join("|", bad)),
                Pattern.compile(String.join("|", bare)));
    }

    private static List<Weighted> alternations(Map<Integer, List<String>> byWeight) {
        List<Weighted> out = new ArrayList<>();
        byWeight.forEach((w, res) -> out.add(new Weighted(w, Pattern.compile(String.join("|", res)))));
        return List.copyOf(out);
    }
}
