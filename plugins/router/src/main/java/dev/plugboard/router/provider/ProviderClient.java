package dev.plugboard.router.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.plugboard.router.config.RouterConfig;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.core.functions.Either;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Calls OpenAI-compatible chat-completions endpoints over the JDK's HTTP client: whole answers and
 * streams, each model behind its own Resilience4j circuit breaker, with retries and backoff (honouring
 * {@code Retry-After}) for failures before the first byte. Thread-safe.
 */
public final class ProviderClient implements AutoCloseable {

    /** The longest {@code Retry-After} that is waited out rather than falling back at once. */
    static final Duration MAX_RETRY_WAIT = Duration.ofSeconds(2);

    private final HttpClient http;
    private final ObjectMapper mapper;
    private final CircuitBreakerRegistry breakers;
    private final Map<String, Retry> retries = new ConcurrentHashMap<>();

    /**
     * @param mapper reads and writes the wire format
     * @param breaker the breakers' settings, one breaker per model alias
     */
    public ProviderClient(ObjectMapper mapper, CircuitBreakerConfig breaker) {
        this.mapper = mapper;
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        this.breakers = CircuitBreakerRegistry.of(breaker);
    }

    /** Breakers that open at half of ten calls failing and probe again after 30 s. */
    public static CircuitBreakerConfig defaultBreaker() {
        return CircuitBreakerConfig.custom().slidingWindowSize(10).minimumNumberOfCalls(5).failureRateThreshold(50)
                .waitDurationInOpenState(Duration.ofSeconds(30)).permittedNumberOfCallsInHalfOpenState(1)
                .recordException(e -> e instanceof ProviderException p && p.providerFault()).build();
    }

    /** The breaker of one model (for health reports). */
    public CircuitBreaker breaker(String alias) {
        return breakers.circuitBreaker(alias);
    }

    /**
     * Asks for a whole answer.
     *
     * @param body the OpenAI request; its {@code model} and {@code stream} are replaced
     * @throws ProviderException after retries, naming what went wrong
     */
    public Completion complete(RouterConfig.Provider provider, RouterConfig.Model model, ObjectNode body)
            throws ProviderException {
        ObjectNode request = topLevelCopy(body);
        request.put("model", model.upstreamName());
        request.remove("stream");
        request.remove("stream_options");
        return guarded(provider, model, () -> {
            long started = System.nanoTime();
            // the whole answer is read by the client's own threads, within the one deadline
            HttpResponse<byte[]> response = send(provider, model, request, provider.requestTimeout(),
                    HttpResponse.BodyHandlers.ofByteArray());
            byte[] bytes = response.body();
            if (response.statusCode() / 100 != 2) {
                throw error(response, bytes, model);
            }
            JsonNode answer;
            try {
                answer = mapper.readTree(bytes);
            } catch (IOException e) {
                answer = null;
            }
            if (answer == null || !answer.isObject() || !answer.path("choices").isArray()) {
                throw new ProviderException(ProviderException.Kind.MALFORMED, "model " + model.alias()
                        + " answered with something other than a chat completion");
            }
            return new Completion((ObjectNode) answer, Usage.of(answer.get("usage")), System.nanoTime() - started);
        });
    }

    /**
     * Starts a streamed answer and waits for its first token, so that a failure up to that point can
     * still be answered by another model.
     *
     * @param body the OpenAI request; its {@code model}, {@code stream} and {@code stream_options} are replaced
     * @throws ProviderException after retries, naming what went wrong
     */
    public ChatStream stream(RouterConfig.Provider provider, RouterConfig.Model model, ObjectNode body)
            throws ProviderException {
        ObjectNode request = topLevelCopy(body);
        request.put("model", model.upstreamName());
        request.put("stream", true);
        request.putObject("stream_options").put("include_usage", true);
        return guarded(provider, model, () -> {
            long started = System.nanoTime();
            HttpResponse<InputStream> response = send(provider, model, request, provider.firstTokenTimeout(),
                    HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() / 100 != 2) {
                try (InputStream in = response.body()) {
                    throw error(response, readWithin(in, provider.firstTokenTimeout(), model), model);
                } catch (IOException e) {
                    throw new ProviderException(ProviderException.Kind.UNREACHABLE, "the connection to model "
                            + model.alias() + " broke: " + plain(e));
                }
            }
            String type = response.headers().firstValue("Content-Type").orElse("");
            if (!type.startsWith("text/event-stream")) {
                close(response.body());
                throw new ProviderException(ProviderException.Kind.MALFORMED, "model " + model.alias()
                        + " did not answer with an event stream");
            }
            ChatStream stream = new ChatStream(response.body(), mapper, provider.idleTimeout(), model.alias(), started);
            Duration left = provider.firstTokenTimeout().minusNanos(System.nanoTime() - started);
            stream.awaitFirstToken(left.isNegative() ? Duration.ZERO : left);
            return stream;
        });
    }

    /** A call that may be retried and counts against the model's breaker. */
    @FunctionalInterface
    private interface Attempt<T> {
        T run() throws ProviderException;
    }

    private <T> T guarded(RouterConfig.Provider provider, RouterConfig.Model model, Attempt<T> attempt)
            throws ProviderException {
        CircuitBreaker breaker = breakers.circuitBreaker(model.alias());
        Retry retry = retries.computeIfAbsent(model.alias() + "#" + provider.retries(), k -> Retry.of(k,
                RetryConfig.custom().maxAttempts(provider.retries() + 1)
                        .retryOnException(e -> e instanceof ProviderException p && p.kind().retryable()
                                && p.retryAfter().map(d -> d.compareTo(MAX_RETRY_WAIT) <= 0).orElse(true))
                        .intervalBiFunction(backoff()).build()));
        try {
            return Retry.decorateCheckedSupplier(retry, () -> {
                try {
                    return breaker.executeCheckedSupplier(attempt::run);
                } catch (CallNotPermittedException open) {
                    throw new ProviderException(ProviderException.Kind.BREAKER_OPEN, "model " + model.alias()
                            + " is resting after repeated failures (its breaker is open)");
                }
            }).get();
        } catch (ProviderException e) {
            throw e;
        } catch (Throwable e) {
            throw new ProviderException(ProviderException.Kind.UNREACHABLE, "the call to model " + model.alias()
                    + " failed: " + plain(e));
        }
    }

    private static IntervalBiFunction<Object> backoff() {
        return (attempt, outcome) -> {
            Either<Throwable, Object> either = outcome;
            if (either != null && either.isLeft() && either.getLeft() instanceof ProviderException p
                    && p.retryAfter().isPresent()) {
                return p.retryAfter().get().toMillis();
            }
            return 100L << Math.min(attempt - 1, 5);
        };
    }

    /** A copy of the request's top level, which is all that is changed for a provider. */
    private ObjectNode topLevelCopy(ObjectNode body) {
        ObjectNode copy = mapper.createObjectNode();
        copy.setAll(body);
        return copy;
    }

    private <T> HttpResponse<T> send(RouterConfig.Provider provider, RouterConfig.Model model, ObjectNode request,
            Duration headersWithin, HttpResponse.BodyHandler<T> handler) throws ProviderException {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(provider.baseUrl() + "/chat/completions"))
                .timeout(headersWithin)
                .header("Content-Type", "application/json")
                .header("Accept", request.path("stream").asBoolean() ? "text/event-stream" : "application/json");
        if (provider.apiKey() != null && !provider.apiKey().isEmpty()) {
            b.header("Authorization", "Bearer " + provider.apiKey());
        }
        provider.headers().forEach(b::header);
        byte[] bytes;
        try {
            bytes = mapper.writeValueAsBytes(request);
        } catch (IOException e) {
            throw new ProviderException(ProviderException.Kind.REJECTED, "the request cannot be written as JSON");
        }
        CompletableFuture<HttpResponse<T>> future = http.sendAsync(
                b.POST(HttpRequest.BodyPublishers.ofByteArray(bytes)).build(), handler);
        try {
            return future.get(headersWithin.toNanos() + provider.connectTimeout().toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw timeout(model, request, headersWithin);
        } catch (InterruptedException e) {
            future.cancel(true);
            Thread.currentThread().interrupt();
            throw new ProviderException(ProviderException.Kind.UNREACHABLE, "the call to model " + model.alias()
                    + " was cancelled");
        } catch (ExecutionException | CancellationException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            if (cause instanceof HttpTimeoutException) {
                throw timeout(model, request, headersWithin);
            }
            if (cause instanceof ConnectException) {
                throw new ProviderException(ProviderException.Kind.UNREACHABLE, "model " + model.alias()
                        + " is unreachable: cannot connect to " + provider.baseUrl().getHost() + ":"
                        + provider.baseUrl().getPort());
            }
            String why = cause instanceof IOException ? "the connection closed before an answer" : plain(cause);
            throw new ProviderException(ProviderException.Kind.UNREACHABLE, "model " + model.alias()
                    + " is unreachable: " + why);
        }
    }

    private static ProviderException timeout(RouterConfig.Model model, ObjectNode request, Duration within) {
        return new ProviderException(ProviderException.Kind.TIMEOUT, "model " + model.alias()
                + (request.path("stream").asBoolean() ? " sent no first token" : " did not answer")
                + " within " + within.toMillis() + " ms");
    }

    private static byte[] readWithin(InputStream in, Duration within, RouterConfig.Model model)
            throws ProviderException, IOException {
        CompletableFuture<byte[]> read = CompletableFuture.supplyAsync(() -> {
            try {
                return in.readNBytes(32 * 1024 * 1024);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, r -> Thread.ofVirtual().start(r));
        try {
            return read.get(within.toNanos(), TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            in.close();
            throw new ProviderException(ProviderException.Kind.TIMEOUT, "model " + model.alias()
                    + " did not finish its answer within " + within.toMillis() + " ms");
        } catch (InterruptedException e) {
            in.close();
            Thread.currentThread().interrupt();
            throw new ProviderException(ProviderException.Kind.UNREACHABLE, "the call to model " + model.alias()
                    + " was cancelled");
        } catch (ExecutionException e) {
            throw e.getCause() instanceof java.io.UncheckedIOException u ? u.getCause()
                    : new IOException("the answer could not be read");
        }
    }

    private ProviderException error(HttpResponse<?> response, byte[] body, RouterConfig.Model model) {
        int status = response.statusCode();
        String message = null;
        String code = null;
        try {
            JsonNode error = mapper.readTree(body).path("error");
            if (error.isObject()) {
                message = error.path("message").asText(null);
                code = error.path("code").isValueNode() && !error.path("code").isNull() ? error.path("code").asText() : null;
            } else if (error.isTextual()) {
                message = error.asText();
            }
        } catch (IOException | RuntimeException e) {
            // not JSON: the status says enough
        }
        ProviderException.Kind kind = switch (status) {
            case 429 -> ProviderException.Kind.RATE_LIMITED;
            case 401, 403 -> ProviderException.Kind.UNAUTHORIZED;
            case 408 -> ProviderException.Kind.TIMEOUT;
            default -> status >= 500 ? ProviderException.Kind.SERVER_ERROR : ProviderException.Kind.REJECTED;
        };
        Duration retryAfter = response.headers().firstValue("Retry-After").map(ProviderClient::seconds).orElse(null);
        String sentence = "model " + model.alias() + " answered HTTP " + status
                + (message == null || message.isBlank() ? "" : ": " + shorten(message));
        return new ProviderException(kind, status, retryAfter, code, sentence);
    }

    private static Duration seconds(String value) {
        try {
            double s = Double.parseDouble(value.strip());
            return s >= 0 ? Duration.ofMillis((long) (s * 1000)) : null;
        } catch (NumberFormatException e) {
            return null; // an HTTP date: treated as "later", so the router falls back
        }
    }

    static String shorten(String text) {
        String one = text.replaceAll("\\s+", " ").strip();
        return one.length() <= 300 ? one : one.substring(0, 300) + "…";
    }

    private static String plain(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? "connection error" : shorten(m);
    }

    private static void close(InputStream in) {
        try {
            in.close();
        } catch (IOException e) {
            // nothing to keep
        }
    }

    @Override
    public void close() {
        http.close();
    }
}
