package org.mailsift.controller.api;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import org.mailsift.controller.security.AccessGuard;
import org.mailsift.controller.security.OriginPolicy;
import org.mailsift.controller.stats.RecentErrors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Maps commands to endpoints with their access level, checks access, and turns every failure into a JSON error:
 * this is the HTTP edge where exceptions stop.
 */
public final class Router {
    private static final Logger LOG = LoggerFactory.getLogger(Router.class);

    private record Route(AccessGuard.Level level, Endpoint endpoint) {
    }

    private final String workerName;
    private volatile AccessGuard guard;
    private final RecentErrors errors;
    private final Map<String, Route> routes = new LinkedHashMap<>();
    private volatile OriginPolicy origins = new OriginPolicy(java.util.List.of());

    public Router(String workerName, AccessGuard guard, RecentErrors errors) {
        this.workerName = workerName;
        this.guard = guard;
        this.errors = errors;
    }

    /** SIGHUP: new passwords / secure_ip apply to the next request; connections stay open. */
    public void replaceGuard(AccessGuard newGuard) {
        this.guard = newGuard;
    }

    /** Browser origins allowed besides the worker's own (allowed_origin); applies to the next request. */
    public Router originPolicy(OriginPolicy policy) {
        this.origins = policy;
        return this;
    }

    /** The access rules in force now. */
    public AccessGuard guard() {
        return guard;
    }

    public Router add(AccessGuard.Level level, Endpoint endpoint, String... paths) {
        for (String p : paths) {
            routes.put(p, new Route(level, endpoint));
        }
        return this;
    }

    public Set<String> paths() {
        return routes.keySet();
    }

    public ApiResponse dispatch(ApiRequest request) {
        Route route = routes.get(request.path());
        if (route == null) {
            return ApiResponse.error(404, "No such path: /" + request.path());
        }
        OriginPolicy originPolicy = origins;
        String refused = originPolicy.refusal(request.headers());
        if (refused != null) {
            LOG.info("{}: refused /{} from {}: {}", workerName, request.path(), peerText(request), refused);
            return ApiResponse.error(403, refused);
        }
        boolean forwarded = request.headers().has("Forwarded") || request.headers().has("X-Forwarded-For")
                || originPolicy.browserUnderForeignName(request.headers());
        String password = request.headers().first("Password");
        switch (guard.check(route.level(), request.peer(), forwarded, password)) {
            case DENY -> {
                LOG.info("{}: unauthorized /{} from {}", workerName, request.path(), peerText(request));
                return ApiResponse.error(401, "Unauthorized");
            }
            case THROTTLED -> {
                LOG.info("{}: throttled /{} from {} after repeated authentication failures", workerName, request.path(), peerText(request));
                long wait = Math.max(1, guard.retryAfterSeconds(request.peer()));
                return ApiResponse.error(429, "Too many authentication failures; retry in " + wait + " s")
                        .withHeader("Retry-After", Long.toString(wait));
            }
            case BUSY -> {
                logBusy(request);
                return ApiResponse.error(503, "Too many password checks at once; retry in a moment").withHeader("Retry-After", "1");
            }
            case ALLOW -> { }
        }
        try {
            return route.endpoint().handle(request);
        } catch (ApiException e) {
            return ApiResponse.error(e.status(), e.getMessage());
        } catch (Exception | StackOverflowError e) {
            LOG.warn("{}: /{} from {} failed", workerName, request.path(), peerText(request), e);
            String message = "Internal error: " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
            errors.add(workerName, "/" + request.path() + ": " + message);
            return ApiResponse.error(500, message);
        }
    }

    private final java.util.concurrent.atomic.AtomicLong busyRefused = new java.util.concurrent.atomic.AtomicLong();
    private final java.util.concurrent.atomic.AtomicLong busyLoggedAt = new java.util.concurrent.atomic.AtomicLong(System.nanoTime() - BUSY_LOG_NANOS);
    private static final long BUSY_LOG_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(10);

    /** One line per 10 s at most: a flood of password guesses must not become a flood of log lines. */
    private void logBusy(ApiRequest request) {
        long n = busyRefused.incrementAndGet();
        long last = busyLoggedAt.get();
        long now = System.nanoTime();
        if (now - last >= BUSY_LOG_NANOS && busyLoggedAt.compareAndSet(last, now)) {
            busyRefused.addAndGet(-n);
            LOG.warn("{}: refused {} request(s) with 503: every password check slot busy (a flood of password guesses?), latest /{} from {}",
                    workerName, n, request.path(), peerText(request));
        }
    }

    private static String peerText(ApiRequest r) {
        return r.who();
    }
}
