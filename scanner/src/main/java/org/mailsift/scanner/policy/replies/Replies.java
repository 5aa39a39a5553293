package org.mailsift.scanner.policy.replies;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.mailsift.core.message.Envelope;
import org.mailsift.core.message.ParsedMessage;
import org.mailsift.scanner.policy.PolicyHash;
import org.mailsift.scanner.policy.PostScanStep;
import org.mailsift.scanner.policy.StoreOutage;
import org.mailsift.scanner.policy.Verdict;
import org.mailsift.scanner.rules.AsyncRule;
import org.mailsift.scanner.rules.MailAddress;
import org.mailsift.scanner.rules.ScanContext;
import org.mailsift.scanner.rules.SymbolDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Rspamd's replies module. {@link #recorder()} remembers the Message-ID of every message a local client or an
 * authenticated user sends (hashed, with a hash of the address replies will come from: Reply-To, else From, else
 * the SMTP sender) for {@code expire}; {@link #rule()} gives REPLY (-4) to an incoming message whose In-Reply-To (or,
 * beyond Rspamd, one of its References) is such a Message-ID and whose every SMTP recipient is that address, and forces
 * {@code action} when configured (not for local or authenticated senders). One store call for each.
 */
public final class Replies {
    private static final Logger LOG = LoggerFactory.getLogger(Replies.class);
    private static final Pattern MSG_ID = Pattern.compile("<[^<>\\s]+>");
    /** References of a long thread: the newest ones are the likely parents. */
    private static final int MAX_REFERENCES = 10;
    private static final int SENDER_HASH_SIZE = 8;
    private static final ExecutorService LOOKUPS = Executors.newVirtualThreadPerTaskExecutor();

    private final RepliesSettings settings;
    private final ReplyStore store;
    private final StoreOutage outage;

    public Replies(RepliesSettings settings, ReplyStore store, StoreOutage outage) {
        this.settings = settings;
        this.store = store;
        this.outage = outage;
    }

    private boolean isOurs(ScanContext ctx) {
        return (settings.useAuth() && ctx.envelope().isAuthenticated()) || (settings.useLocal() && ctx.isLocal());
    }

    /** The REPLY check. */
    public AsyncRule rule() {
        return new AsyncRule() {
            @Override
            public List<SymbolDefinition> symbols() {
                return List.of(new SymbolDefinition(settings.symbol(), "replies", settings.score(), settings.message()));
            }

            @Override
            public CompletionStage<Consumer<ScanContext>> start(ScanContext ctx) {
                List<String> ids = repliedTo(ctx.message());
                List<String> rcpts = ctx.envelope().rcptTo();
                if (ids.isEmpty() || rcpts.isEmpty()) {
                    return CompletableFuture.completedFuture(c -> { });
                }
                List<String> keys = ids.stream().map(id -> PolicyHash.of(id, settings.keySize(), settings.keyPrefix())).toList();
                List<String> rcptHashes = rcpts.stream().map(r -> senderHash(r)).toList();
                boolean ours = isOurs(ctx);
                if (outage.skip()) {
                    return CompletableFuture.completedFuture(c -> { });
                }
                return CompletableFuture.supplyAsync(() -> {
                    try {
                        List<String> found = store.find(keys);
                        outage.answered();
                        return found;
                    } catch (RuntimeException e) {
                        outage.failed(e);
                        return List.<String>of();
                    }
                }, LOOKUPS).thenApply(found -> c -> {
                    for (String stored : found) {
                        if (stored != null && rcptHashes.stream().allMatch(stored::equals)) {
                            c.insert(settings.symbol());
                            if (settings.action() != null && !ours) {
                                c.forceAction(settings.action(), settings.message());
                            }
                            return;
                        }
                    }
                });
            }
        };
    }

    /** Remembers outgoing Message-IDs after the scan. */
    public PostScanStep recorder() {
        return (ctx, verdict) -> {
            if (!isOurs(ctx)) {
                return verdict;
            }
            String id = messageId(ctx.message());
            String sender = replySender(ctx.message(), ctx.envelope());
            if (id == null || id.length() <= settings.minMessageId() || sender == null) {
                return verdict;
            }
            if (outage.skip()) {
                return verdict;
            }
            try {
                store.remember(PolicyHash.of(id, settings.keySize(), settings.keyPrefix()), senderHash(sender),
                        settings.expire().toMillis());
                outage.answered();
            } catch (RuntimeException e) {
                outage.failed(e);
            }
            return verdict;
        };
    }

    private static String senderHash(String address) {
        return PolicyHash.of(address.toLowerCase(Locale.ROOT), SENDER_HASH_SIZE, "");
    }

    /** The Message-ID as written ("<id@host>"), or null. */
    static String messageId(ParsedMessage message) {
        String v = message.firstHeader("Message-ID").map(String::strip).orElse(null);
        if (v == null || v.isEmpty()) {
            return null;
        }
        Matcher m = MSG_ID.matcher(v);
        return m.find() ? m.group() : v;
    }

    /** In-Reply-To's ids, then References' (newest first), each once. */
    static List<String> repliedTo(ParsedMessage message) {
        LinkedHashSet<String> ids = new LinkedHashSet<>();
        message.firstHeader("In-Reply-To").ifPresent(v -> ids.addAll(ids(v)));
        List<String> refs = new ArrayList<>(message.firstHeader("References").map(Replies::ids).orElse(List.of()));
        for (int i = refs.size() - 1; i >= 0 && ids.size() < MAX_REFERENCES + 1; i--) {
            ids.add(refs.get(i));
        }
        return List.copyOf(ids);
    }

    private static List<String> ids(String header) {
        List<String> out = new ArrayList<>();
        Matcher m = MSG_ID.matcher(header);
        while (m.find() && out.size() < 100) {
            out.add(m.group());
        }
        if (out.isEmpty() && !header.isBlank()) {
            out.add(header.strip());
        }
        return out;
    }

    /** Where replies will go, as Rspamd's task:get_reply_sender(): Reply-To, else From, else the SMTP sender. */
    static String replySender(ParsedMessage message, Envelope envelope) {
        for (String header : new String[] {"Reply-To", "From"}) {
            List<MailAddress> a = MailAddress.parseList(message.firstHeader(header).orElse(""));
            if (!a.isEmpty() && !a.get(0).addr().isEmpty()) {
                return a.get(0).addr();
            }
        }
        String from = envelope.mailFrom();
        if (from == null || from.isEmpty()) {
            LOG.debug("replies: no reply sender on {}", message.messageId().orElse("undef"));
            return null;
        }
        return from;
    }
}
