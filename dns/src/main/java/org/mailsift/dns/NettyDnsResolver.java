package org.mailsift.dns;

import java.net.InetSocketAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;

import io.netty.channel.AddressedEnvelope;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.DnsNameResolverTimeoutException;
import io.netty.resolver.dns.NoopDnsCache;
import io.netty.resolver.dns.NoopDnsCnameCache;
import io.netty.resolver.dns.SequentialDnsServerAddressStreamProvider;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.Future;

import org.mailsift.core.dns.DnsAnswer;
import org.mailsift.core.dns.DnsRecordType;
import org.mailsift.core.dns.DnsResolver;
import org.mailsift.core.dns.DnsSettings;
import org.mailsift.core.dns.DnsStatus;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link DnsResolver} on netty's DNS client, running on an event loop of the daemon (or its own one).
 *
 * <p>A lookup asks the first usable nameserver; a query unanswered after {@code timeout / (retransmits + 1)} is
 * sent again to the next one, so the whole lookup ends within {@code timeout}. Answers are cached by TTL (negative
 * answers by the SOA's minimum, SERVFAIL / REFUSED for 30 s; timeouts not at all); identical lookups in flight share one query. Truncated answers are retried over TCP
 * by netty. Nameservers that stop answering are skipped for a while ({@link NameserverHealth}), so a dead resolver
 * costs one timeout, not one per message.
 */
public final class NettyDnsResolver implements DnsResolver {
    private static final Logger LOG = LoggerFactory.getLogger(NettyDnsResolver.class);

    private final DnsSettings settings;
    private final List<InetSocketAddress> servers;
    private final List<NameserverHealth> health;
    private final EventLoopGroup ownGroup;
    private final DnsNameResolver netty;
    private final AnswerCache cache;
    private final ConcurrentHashMap<AnswerCache.Key, CompletableFuture<DnsAnswer>> inFlight = new ConcurrentHashMap<>();
    private final LongAdder queriesSent = new LongAdder();
    private final LongAdder cacheMisses = new LongAdder();
    private final long perTryMillis;
    private final Clock clock;

    /**
     * @param group the daemon's event loops to run on; null to start a private one-thread loop (closed with this)
     */
    public NettyDnsResolver(DnsSettings settings, EventLoopGroup group) {
        this(settings, group, Clock.systemUTC());
    }

    NettyDnsResolver(DnsSettings settings, EventLoopGroup group, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        this.servers = List.copyOf(settings.effectiveNameservers());
        this.health = servers.stream().map(NameserverHealth::of).toList();
        this.ownGroup = group == null
                ? new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("mailsift-dns", true), NioIoHandler.newFactory())
                : null;
        EventLoopGroup loops = group == null ? ownGroup : group;
        this.perTryMillis = Math.max(5, settings.timeout().toMillis() / (settings.retransmits() + 1));
        this.cache = new AnswerCache(settings.cacheSize());
        if (servers.isEmpty()) {
            LOG.warn("DNS: no nameserver configured (options.inc dns { nameserver }) and none in /etc/resolv.conf; "
                    + "DNS checks give their DNSFAIL symbols");
            this.netty = null;
        } else {
            this.netty = new DnsNameResolverBuilder(loops.next())
                    .datagramChannelType(NioDatagramChannel.class)
                    .socketChannelType(NioSocketChannel.class, false)
                    .queryTimeoutMillis(perTryMillis)
                    .recursionDesired(true)
                    .maxQueriesPerResolve(1)
                    .resolveCache(NoopDnsCache.INSTANCE)
                    .cnameCache(NoopDnsCnameCache.INSTANCE)
                    .nameServerProvider(new SequentialDnsServerAddressStreamProvider(servers))
                    .build();
        }
    }

    public List<InetSocketAddress> nameservers() {
        return servers;
    }

    @Override
    public CompletableFuture<DnsAnswer> query(String rawName, DnsRecordType type, Instant deadline) {
        String name = DnsResolver.normalize(rawName);
        // the cache first: only valid names are ever cached, so a hit needs no syntax check
        AnswerCache.Entry cached = cache.get(name, type, System.nanoTime());
        if (cached != null) {
            return cached;
        }
        AnswerCache.Key key = new AnswerCache.Key(name, type);
        if (!DnsNames.isValid(name)) {
            return CompletableFuture.completedFuture(DnsAnswer.of(name, type, DnsStatus.ERROR));
        }
        cacheMisses.increment();
        long remaining = Duration.between(clock.instant(), deadline).toMillis();
        if (remaining <= 0) {
            return CompletableFuture.completedFuture(DnsAnswer.of(name, type, DnsStatus.TIMEOUT));
        }
        CompletableFuture<DnsAnswer> mine = new CompletableFuture<>();
        CompletableFuture<DnsAnswer> shared = inFlight.putIfAbsent(key, mine);
        if (shared == null) {
            shared = mine;
            // leaves the in-flight table before its waiters wake, so a later lookup never joins a finished one
            CompletableFuture<DnsAnswer> pending = new CompletableFuture<>();
            pending.whenComplete((answer, e) -> {
                inFlight.remove(key, mine);
                mine.complete(answer);
            });
            lookup(key, pending);
        }
        if (shared.isDone()) {
            return shared;
        }
        return shared.copy().completeOnTimeout(DnsAnswer.of(name, type, DnsStatus.TIMEOUT), remaining, TimeUnit.MILLISECONDS);
    }

    /**
     * {@code label.zone}, found in the cache by its label (DNS lists ask one label in many zones); a name in another
     * form than the cache's (upper case, a final dot, spaces) is asked as the plain name, exactly as before.
     */
    @Override
    public CompletableFuture<DnsAnswer> query(String label, String zone, DnsRecordType type, Instant deadline) {
        if (!DnsResolver.normalize(label).equals(label) || !DnsResolver.normalize(zone).equals(zone)) {
            return query(label + "." + zone, type, deadline);
        }
        long now = System.nanoTime();
        AnswerCache.Entry cached = cache.get(label, zone, type, now);
        if (cached != null) {
            return cached;
        }
        String name = label + "." + zone;
        AnswerCache.Entry byName = cache.get(name, type, now);
        if (byName != null) {
            cache.putLabelled(label, zone, type, byName, now);
            return byName;
        }
        // an answer that comes later is cached by name, and found by label from the next lookup on
        return query(name, type, deadline);
    }

    private void lookup(AnswerCache.Key key, CompletableFuture<DnsAnswer> result) {
        long now = System.nanoTime();
        List<Integer> usable = new ArrayList<>(servers.size());
        for (int i = 0; i < servers.size(); i++) {
            if (health.get(i).usable(now)) {
                usable.add(i);
            }
        }
        if (netty == null || usable.isEmpty()) {
            result.complete(DnsAnswer.of(key.name(), key.type(), DnsStatus.UNAVAILABLE));
            return;
        }
        send(key, result, usable, 0);
    }

    private void send(AnswerCache.Key key, CompletableFuture<DnsAnswer> result, List<Integer> usable, int attempt) {
        int index = usable.get(attempt % usable.size());
        InetSocketAddress server = servers.get(index);
        Future<AddressedEnvelope<DnsResponse, InetSocketAddress>> f;
        queriesSent.increment();
        try {
            f = netty.query(server, new DefaultDnsQuestion(key.name() + ".", io.netty.handler.codec.dns.DnsRecordType.valueOf(key.type().code())));
        } catch (RuntimeException e) { // closed resolver (reload) or a name netty refuses
            result.complete(DnsAnswer.of(key.name(), key.type(), DnsStatus.ERROR));
            return;
        }
        f.addListener(done -> {
            if (done.isSuccess()) {
                AddressedEnvelope<DnsResponse, InetSocketAddress> envelope = f.getNow();
                DnsAnswer answer;
                try {
                    answer = AnswerDecoder.decode(key.name(), key.type(), envelope.content());
                } catch (RuntimeException e) {
                    answer = DnsAnswer.of(key.name(), key.type(), DnsStatus.ERROR);
                } finally {
                    envelope.release();
                }
                health.get(index).answered();
                cache.put(key.name(), key.type(), answer, System.nanoTime()); // by its TTL: server failures briefly, unreadable ones not
                result.complete(answer);
                return;
            }
            Throwable cause = done.cause();
            boolean timeout = cause instanceof DnsNameResolverTimeoutException;
            if (timeout) {
                health.get(index).timedOut(settings.maxErrors(), settings.reviveTime(), System.nanoTime());
            }
            if (attempt < settings.retransmits() && !result.isDone()) {
                send(key, result, usable, attempt + 1);
            } else {
                LOG.debug("DNS: {} {} failed: {}", key.name(), key.type(), cause.toString());
                result.complete(DnsAnswer.of(key.name(), key.type(), timeout ? DnsStatus.TIMEOUT : DnsStatus.ERROR));
            }
        });
    }

    @Override
    public String describe() {
        if (servers.isEmpty()) {
            return "(no nameserver)";
        }
        return String.join(", ", servers.stream().map(a -> a.getAddress().getHostAddress() + ":" + a.getPort()).toList());
    }

    /** Queries sent to nameservers so far, retransmissions included (answers from the cache are not queries). */
    public long queriesSent() {
        return queriesSent.sum();
    }

    /**
     * Lookups of a valid name not answered from the cache so far: sent, joined to one in flight, or failed at once
     * (past the deadline, no usable nameserver).
     */
    public long cacheMisses() {
        return cacheMisses.sum();
    }

    /** Answers in the cache now (for tests and /stat). */
    public int cachedAnswers() {
        return cache.size();
    }

    @Override
    public void close() {
        if (netty != null) {
            netty.close();
        }
        if (ownGroup != null) {
            ownGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        }
    }
}
