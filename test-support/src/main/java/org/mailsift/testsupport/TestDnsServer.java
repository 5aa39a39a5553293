package org.mailsift.testsupport;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.dns.DatagramDnsQuery;
import io.netty.handler.codec.dns.DatagramDnsQueryDecoder;
import io.netty.handler.codec.dns.DatagramDnsResponse;
import io.netty.handler.codec.dns.DatagramDnsResponseEncoder;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DefaultDnsRawRecord;
import io.netty.handler.codec.dns.DefaultDnsResponse;
import io.netty.handler.codec.dns.DnsQuery;
import io.netty.handler.codec.dns.DnsQuestion;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import io.netty.handler.codec.dns.TcpDnsQueryDecoder;
import io.netty.handler.codec.dns.TcpDnsResponseEncoder;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * A small authoritative DNS server for tests, on a free UDP port of 127.0.0.1: it serves exactly the records a test
 * sets ({@link #a}, {@link #txt}, ...), NXDOMAIN for every other name, and on request SERVFAIL, REFUSED or silence
 * for a name. Records are served with the given TTL (default 300 s); negative answers carry an SOA with a 60 s
 * minimum. Thread-safe: records may change while it runs. As a real server, it answers over UDP with at most 512 bytes
 * (or the size the query's EDNS OPT record offers) and sets TC on a larger answer, which it serves whole over TCP on
 * the same port (a 64 KB TXT record reaches the resolver only that way).
 *
 * <pre>
 * try (TestDnsServer dns = TestDnsServer.start()) {
 *     dns.a("2.0.0.127.zen.spamhaus.org", "127.0.0.2");
 *     ... options.inc: dns { nameserver = ["127.0.0.1:" + dns.port()]; }
 * }
 * </pre>
 */
public final class TestDnsServer implements AutoCloseable {
    /** What the server does for a name besides serving its records. */
    public enum Behaviour { ANSWER, SERVFAIL, REFUSED, SILENT }

    private record Rr(int type, byte[] data, long ttl) {
    }

    private final EventLoopGroup group;
    private final Channel channel;
    private volatile Channel tcp;
    private final Map<String, List<Rr>> records = new ConcurrentHashMap<>();
    private final Map<String, Behaviour> behaviours = new ConcurrentHashMap<>();
    private final List<String> received = new CopyOnWriteArrayList<>();
    private final AtomicInteger queries = new AtomicInteger();
    private volatile Behaviour defaultBehaviour = Behaviour.ANSWER;

    private TestDnsServer(EventLoopGroup group, Channel channel) {
        this.group = group;
        this.channel = channel;
    }

    public static TestDnsServer start() {
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("test-dns", true), NioIoHandler.newFactory());
        TestDnsServer[] self = new TestDnsServer[1];
        try {
            for (int attempt = 1; ; attempt++) {
                Channel udp = new Bootstrap().group(group).channel(NioDatagramChannel.class)
                        .handler(new ChannelInitializer<DatagramChannel>() {
                            @Override
                            protected void initChannel(DatagramChannel c) {
                                c.pipeline().addLast(new DatagramDnsQueryDecoder(), new DatagramDnsResponseEncoder(),
                                        new SimpleChannelInboundHandler<DatagramDnsQuery>() {
                                            @Override
                                            protected void channelRead0(ChannelHandlerContext ctx, DatagramDnsQuery q) {
                                                self[0].answer(ctx, q);
                                            }
                                        });
                            }
                        })
                        .bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0)).sync().channel();
                self[0] = new TestDnsServer(group, udp);
                try {
                    self[0].tcp = tcpListener(group, (InetSocketAddress) udp.localAddress(), self);
                    return self[0];
                } catch (Exception e) {
                    // that TCP port is taken: another UDP port
                    udp.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
                    if (attempt == 5) {
                        throw new IllegalStateException("no free UDP + TCP port pair for the test DNS server", e);
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            group.shutdownGracefully();
            throw new IllegalStateException(e);
        } catch (RuntimeException e) {
            group.shutdownGracefully();
            throw e;
        }
    }

    private static Channel tcpListener(EventLoopGroup group, InetSocketAddress address, TestDnsServer[] self)
            throws InterruptedException {
        return new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel c) {
                        c.pipeline().addLast(new TcpDnsQueryDecoder(), new TcpDnsResponseEncoder(),
                                new SimpleChannelInboundHandler<DnsQuery>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, DnsQuery q) {
                                        self[0].answerTcp(ctx, q);
                                    }
                                });
                    }
                })
                .bind(address).sync().channel();
    }

    public int port() {
        return ((InetSocketAddress) channel.localAddress()).getPort();
    }

    /** {@code 127.0.0.1:PORT}, as options.inc {@code dns { nameserver }} takes it. */
    public String address() {
        return "127.0.0.1:" + port();
    }

    public TestDnsServer a(String name, String... ips) {
        for (String ip : ips) {
            add(name, DnsRecordType.A.intValue(), address(ip, 4), 300);
        }
        return this;
    }

    public TestDnsServer aaaa(String name, String... ips) {
        for (String ip : ips) {
            add(name, DnsRecordType.AAAA.intValue(), address(ip, 16), 300);
        }
        return this;
    }

    /** One TXT record; texts longer than 255 bytes are split into character-strings as RFC 7208 §3.3 says. */
    public TestDnsServer txt(String name, String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        ByteBuf buf = Unpooled.buffer();
        int i = 0;
        do {
            int n = Math.min(255, b.length - i);
            buf.writeByte(n).writeBytes(b, i, n);
            i += n;
        } while (i < b.length);
        add(name, DnsRecordType.TXT.intValue(), bytes(buf), 300);
        return this;
    }

    public TestDnsServer mx(String name, int preference, String host) {
        ByteBuf buf = Unpooled.buffer().writeShort(preference);
        writeName(buf, host);
        add(name, DnsRecordType.MX.intValue(), bytes(buf), 300);
        return this;
    }

    public TestDnsServer ptr(String name, String host) {
        return nameRecord(name, DnsRecordType.PTR, host);
    }

    public TestDnsServer cname(String name, String target) {
        return nameRecord(name, DnsRecordType.CNAME, target);
    }

    /** Any record: raw type code and record data (for odd types and malformed data). */
    public TestDnsServer raw(String name, int type, byte[] data, long ttl) {
        add(name, type, data.clone(), ttl);
        return this;
    }

    /** What to do for {@code name} (whatever records it has). */
    public TestDnsServer behaviour(String name, Behaviour b) {
        behaviours.put(key(name), b);
        return this;
    }

    /** What to do for names without their own behaviour (e.g. SILENT: a resolver that never answers). */
    public TestDnsServer defaultBehaviour(Behaviour b) {
        this.defaultBehaviour = b;
        return this;
    }

    public TestDnsServer clear() {
        records.clear();
        behaviours.clear();
        defaultBehaviour = Behaviour.ANSWER;
        return this;
    }

    /** Queries received so far. */
    public int queries() {
        return queries.get();
    }

    /** The questions received so far, as "name TYPE", in order. */
    public List<String> received() {
        return List.copyOf(received);
    }

    private TestDnsServer nameRecord(String name, DnsRecordType type, String target) {
        ByteBuf buf = Unpooled.buffer();
        writeName(buf, target);
        add(name, type.intValue(), bytes(buf), 300);
        return this;
    }

    private void add(String name, int type, byte[] data, long ttl) {
        records.computeIfAbsent(key(name), k -> new CopyOnWriteArrayList<>()).add(new Rr(type, data, ttl));
    }

    private void answer(ChannelHandlerContext ctx, DatagramDnsQuery query) {
        DnsQuestion q = question(query);
        if (q != null) {
            DatagramDnsResponse r = new DatagramDnsResponse(query.recipient(), query.sender(), query.id());
            // an EDNS OPT record's class is the UDP payload size the client takes
            DnsRecord opt = query.count(DnsSection.ADDITIONAL) > 0 ? query.recordAt(DnsSection.ADDITIONAL) : null;
            int limit = opt != null && opt.type() == DnsRecordType.OPT ? Math.max(512, opt.dnsClass()) : 512;
            if (fill(r, q) > limit) {
                r.clear(DnsSection.ANSWER);
                r.clear(DnsSection.AUTHORITY);
                r.setTruncated(true);
            }
            ctx.writeAndFlush(r);
        }
    }

    private void answerTcp(ChannelHandlerContext ctx, DnsQuery query) {
        DnsQuestion q = question(query);
        if (q != null) {
            DnsResponse r = new DefaultDnsResponse(query.id());
            fill(r, q);
            ctx.writeAndFlush(r);
        }
    }

    /** The question of a query to be answered: null for none or a name set to {@link Behaviour#SILENT}. */
    private DnsQuestion question(DnsQuery query) {
        queries.incrementAndGet();
        DnsQuestion q = query.recordAt(DnsSection.QUESTION);
        if (q == null) {
            return null;
        }
        String name = key(q.name());
        received.add(name + " " + q.type().name());
        return behaviours.getOrDefault(name, defaultBehaviour) == Behaviour.SILENT ? null : q;
    }

    /** Fills in the answer to {@code q}; returns about how many bytes it takes on the wire. */
    private int fill(DnsResponse r, DnsQuestion q) {
        String name = key(q.name());
        Behaviour b = behaviours.getOrDefault(name, defaultBehaviour);
        int size = 12 + name.length() + 6;
        r.setAuthoritativeAnswer(true).setRecursionAvailable(true);
        r.addRecord(DnsSection.QUESTION, new DefaultDnsQuestion(q.name(), q.type()));
        List<Rr> rrs = records.get(name);
        if (b == Behaviour.SERVFAIL) {
            r.setCode(DnsResponseCode.SERVFAIL);
        } else if (b == Behaviour.REFUSED) {
            r.setCode(DnsResponseCode.REFUSED);
        } else if (rrs == null) {
            r.setCode(DnsResponseCode.NXDOMAIN);
            r.addRecord(DnsSection.AUTHORITY, soa(q.name()));
        } else {
            boolean any = false;
            for (Rr rr : rrs) {
                // the asked type, or what a confused server adds: odd types set by raw() are served for every question
                if (rr.type == q.type().intValue() || rr.type == DnsRecordType.CNAME.intValue() || isOdd(rr.type)) {
                    r.addRecord(DnsSection.ANSWER, new DefaultDnsRawRecord(q.name(), DnsRecordType.valueOf(rr.type),
                            rr.ttl, Unpooled.wrappedBuffer(rr.data)));
                    size += name.length() + 12 + rr.data.length;
                    any = true;
                }
            }
            if (!any) {
                r.addRecord(DnsSection.AUTHORITY, soa(q.name()));
            }
        }
        return size;
    }

    private static boolean isOdd(int type) {
        return type != DnsRecordType.A.intValue() && type != DnsRecordType.AAAA.intValue() && type != DnsRecordType.TXT.intValue()
                && type != DnsRecordType.MX.intValue() && type != DnsRecordType.PTR.intValue() && type != DnsRecordType.NS.intValue();
    }

    private static DefaultDnsRawRecord soa(String name) {
        ByteBuf buf = Unpooled.buffer();
        writeName(buf, "ns.test");
        writeName(buf, "hostmaster.test");
        buf.writeInt(1).writeInt(3600).writeInt(600).writeInt(86400).writeInt(60);
        return new DefaultDnsRawRecord(name, DnsRecordType.SOA, 60, buf);
    }

    private static void writeName(ByteBuf buf, String name) {
        for (String label : name.split("\\.")) {
            if (!label.isEmpty()) {
                byte[] b = label.getBytes(StandardCharsets.US_ASCII);
                buf.writeByte(b.length).writeBytes(b);
            }
        }
        buf.writeByte(0);
    }

    private static byte[] address(String ip, int length) {
        try {
            byte[] b = InetAddress.getByName(ip).getAddress();
            if (b.length != length) {
                throw new IllegalArgumentException("not an IPv" + (length == 4 ? 4 : 6) + " address: " + ip);
            }
            return b;
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(ip, e);
        }
    }

    private static byte[] bytes(ByteBuf buf) {
        byte[] b = new byte[buf.readableBytes()];
        buf.readBytes(b);
        return b;
    }

    private static String key(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        return n.endsWith(".") ? n.substring(0, n.length() - 1) : n;
    }

    /** Names with records (for debugging a test). */
    public List<String> names() {
        return new ArrayList<>(records.keySet());
    }

    @Override
    public void close() {
        channel.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        if (tcp != null) {
            tcp.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }
}
