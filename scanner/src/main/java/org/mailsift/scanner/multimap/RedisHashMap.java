package org.mailsift.scanner.multimap;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

import com.google.common.net.InetAddresses;
import io.lettuce.core.KeyValue;
import org.mailsift.scanner.policy.RedisTarget;
import org.mailsift.scanner.policy.StoreOutage;
import org.mailsift.scanner.store.redis.RedisConnection;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rspamd's {@code map = "redis://HASHKEY"}: nothing is loaded, each lookup asks Redis, as Rspamd's multimap does
 * ({@code multimap_query_redis}): {@code HGET HASHKEY value}, and for an address {@code HMGET HASHKEY ip ip/32 ...
 * ip/8} (IPv6: {@code ip/128 ... ip/64}), the most specific field present winning. The field's value is the map
 * entry's value ({@code "1"}, {@code "SYMBOL:5"}). Redis comes from multimap.conf's {@code servers} (or
 * {@code redis { }}) or redis.conf; one connection for the multimap rules of an engine, opened on the first lookup
 * and closed with the last rule using it. A Redis that does not answer (its {@code timeout}, 1 s) matches nothing
 * and is logged once per outage; while it is down, one lookup every few seconds asks it again (the others match
 * nothing at once, rather than each waiting its timeout).
 */
final class RedisHashMap extends MapData {
    private static final Logger LOG = LoggerFactory.getLogger(RedisHashMap.class);

    /** The multimap rules' one connection, shared and counted: the last rule closed closes it. */
    static final class Shared {
        private final RedisTarget target;
        /** This engine's view of the server: a hung Redis is asked by one lookup every probe interval, not by all. */
        private final StoreOutage outage = new StoreOutage(LOG, "multimap redis maps");
        private RedisConnection connection;
        private int users;

        Shared(RedisTarget target) {
            this.target = target;
        }

        synchronized RedisConnection connection() {
            if (connection == null) {
                connection = RedisConnection.connect(target.servers(), target.password(), target.db(), target.timeout(),
                        "multimap redis maps");
            }
            return connection;
        }

        synchronized void acquire() {
            users++;
        }

        synchronized void release() {
            if (--users == 0 && connection != null) {
                connection.close();
                connection = null;
            }
        }
    }

    private final String hashKey;
    private final Shared redis;

    RedisHashMap(String hashKey, Shared redis) {
        this.hashKey = hashKey;
        this.redis = redis;
        redis.acquire();
    }

    void close() {
        redis.release();
    }

    @Override
    List<String> lookup(String key) {
        if (redis.outage.skip()) {
            return List.of();
        }
        try {
            String v = redis.connection().call(c -> c.hget(hashKey, key));
            redis.outage.answered();
            return v == null ? List.of() : List.of(v);
        } catch (RuntimeException e) {
            redis.outage.failed(e);
            return List.of();
        }
    }

    @Override
    List<String> lookup(InetAddress ip) {
        boolean v4 = ip instanceof Inet4Address;
        int max = v4 ? 32 : 128;
        int min = v4 ? 8 : 64;
        List<String> fields = new ArrayList<>();
        fields.add(InetAddresses.toAddrString(ip));
        if (redis.outage.skip()) {
            return List.of();
        }
        byte[] a = ip.getAddress();
        for (int bits = max; bits >= min; bits--) {
            fields.add(InetAddresses.toAddrString(masked(a, bits)) + "/" + bits);
        }
        try {
            List<KeyValue<String, String>> values = redis.connection().call(c -> c.hmget(hashKey, fields.toArray(String[]::new)));
            redis.outage.answered();
            return values.stream().filter(KeyValue::hasValue).findFirst().map(kv -> List.of(kv.getValue())).orElse(List.of());
        } catch (RuntimeException e) {
            redis.outage.failed(e);
            return List.of();
        }
    }

    private static InetAddress masked(byte[] address, int bits) {
        byte[] m = address.clone();
        for (int i = 0; i < m.length; i++) {
            int keep = Math.max(0, Math.min(8, bits - i * 8));
            m[i] &= (byte) (0xff << (8 - keep));
        }
        try {
            return InetAddress.getByAddress(m);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    int size() {
        return 0;
    }
}
