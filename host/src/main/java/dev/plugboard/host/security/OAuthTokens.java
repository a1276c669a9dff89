package dev.plugboard.host.security;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.DefaultResourceRetriever;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import java.net.MalformedURLException;
import java.text.ParseException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * Validates OAuth 2.1 access tokens (signed JWTs) as a resource server: the signature against the
 * issuer's JWKS (fetched on first use, cached, fetched again when a token names a key id it does not
 * know: the issuer rotated its keys), the issuer, the audience (this server's resource URI, RFC 8707),
 * expiry and not-before. A valid token's claims are kept until the token expires, so a client that
 * sends the same token again costs a map lookup. Thread-safe.
 */
final class OAuthTokens {

    private static final Logger LOG = Logger.getLogger(OAuthTokens.class.getName());
    private static final int MAX_REMEMBERED = 10_000;

    /**
     * A valid token's subject and scopes.
     *
     * @param subject {@code sub}
     * @param scopes {@code scope} (space-separated) or {@code scp} (an array)
     * @param expires {@code exp}
     */
    record Token(String subject, Set<String> scopes, Instant expires) {
    }

    /** Why a token is refused: a sentence for {@code error_description} (no token content). */
    static final class Invalid extends Exception {
        private static final long serialVersionUID = 1L;

        Invalid(String message) {
            super(message, null, false, false);
        }
    }

    private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
    private final ConcurrentHashMap<String, Token> valid = new ConcurrentHashMap<>();
    private final String audience;

    OAuthTokens(SecurityConfig.OAuthSettings settings, String audience) {
        this.audience = audience;
        JWKSource<SecurityContext> keys;
        try {
            long min = settings.jwksRefreshMin().toMillis();
            JWKSourceBuilder<SecurityContext> builder = JWKSourceBuilder.create(settings.jwksUri().toURL(),
                    new DefaultResourceRetriever(5_000, 5_000, 512 * 1024))
                    .retrying(false)
                    .refreshAheadCache(false);
            keys = (min > 0 ? builder.rateLimited(min) : builder.rateLimited(false)).build();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException("oauth.jwksUri is not a URL");
        }
        processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT,
                new JOSEObjectType("at+jwt"), null));
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(Set.of(JWSAlgorithm.RS256, JWSAlgorithm.RS384,
                JWSAlgorithm.RS512, JWSAlgorithm.PS256, JWSAlgorithm.PS384, JWSAlgorithm.PS512, JWSAlgorithm.ES256,
                JWSAlgorithm.ES384, JWSAlgorithm.ES512, JWSAlgorithm.EdDSA), keys));
        DefaultJWTClaimsVerifier<SecurityContext> claims = new DefaultJWTClaimsVerifier<>(Set.of(audience),
                new JWTClaimsSet.Builder().issuer(settings.issuer()).build(), Set.of("exp", "sub"), null);
        claims.setMaxClockSkew((int) Math.min(Integer.MAX_VALUE, settings.clockSkew().toSeconds()));
        processor.setJWTClaimsSetVerifier(claims);
    }

    /** Whether a bearer value looks like a JWT (three dot-separated parts). */
    static boolean looksLikeJwt(String token) {
        int first = token.indexOf('.');
        return first > 0 && token.indexOf('.', first + 1) > first + 1 && token.indexOf('.', first + 1) < token.length() - 1;
    }

    /**
     * Validates a token.
     *
     * @throws Invalid with a sentence for the client
     */
    Token validate(String token) throws Invalid {
        Token known = valid.get(token);
        Instant now = Instant.now();
        if (known != null) {
            if (now.isBefore(known.expires())) {
                return known;
            }
            valid.remove(token);
            throw new Invalid("the token has expired");
        }
        JWTClaimsSet claims;
        try {
            claims = processor.process(token, null);
        } catch (ParseException e) {
            throw new Invalid("the token is not a well-formed JWT");
        } catch (BadJOSEException e) {
            throw new Invalid(reason(e.getMessage()));
        } catch (JOSEException e) {
            LOG.warning(() -> "Cannot check a token against the issuer's keys: " + e.getMessage());
            throw new Invalid("the token's signature cannot be checked now (the issuer's keys are unreachable)");
        }
        Date exp = claims.getExpirationTime();
        Token checked = new Token(claims.getSubject(), scopes(claims), exp.toInstant());
        if (valid.size() >= MAX_REMEMBERED) {
            valid.clear();
        }
        valid.put(token, checked);
        return checked;
    }

    /** The audience tokens must name. */
    String audience() {
        return audience;
    }

    private static String reason(String message) {
        String m = message == null ? "" : message;
        if (m.startsWith("Expired JWT")) {
            return "the token has expired";
        }
        if (m.contains("audience")) {
            return "the token is not meant for this server (its audience is not this resource)";
        }
        if (m.contains("iss claim")) {
            return "the token was not issued by the issuer this server trusts";
        }
        if (m.contains("before use time")) {
            return "the token is not valid yet";
        }
        if (m.contains("missing required claims")) {
            return "the token lacks a required claim (sub, exp)";
        }
        if (m.contains("JOSE header typ")) {
            return "the token is not an access token (its typ header)";
        }
        return "the token's signature is not valid";
    }

    private static Set<String> scopes(JWTClaimsSet claims) {
        Set<String> out = new LinkedHashSet<>();
        Object scope = claims.getClaim("scope");
        if (scope instanceof String s) {
            for (String part : s.trim().split("\\s+")) {
                if (!part.isEmpty()) {
                    out.add(part);
                }
            }
        }
        Object scp = claims.getClaim("scp");
        if (scp instanceof List<?> list) {
            list.forEach(x -> out.add(String.valueOf(x)));
        } else if (scp instanceof String s) {
            out.addAll(new ArrayList<>(List.of(s.trim().split("\\s+"))));
        }
        return out;
    }
}
