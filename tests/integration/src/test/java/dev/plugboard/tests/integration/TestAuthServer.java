package dev.plugboard.tests.integration;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A small OAuth 2.1 authorisation server for tests: real RSA keys, real signed JWT access tokens
 * (nimbus-jose-jwt), and its JWKS served over loopback HTTP by the JDK's HttpServer. {@link #rotate}
 * replaces the signing key (a new key id), as an issuer does.
 */
final class TestAuthServer implements AutoCloseable {

    private final HttpServer server;
    private final AtomicInteger jwksFetches = new AtomicInteger();
    private volatile RSAKey key;
    private int generation = 1;

    TestAuthServer() throws IOException, JOSEException {
        this.key = newKey("k1");
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/jwks", exchange -> {
            jwksFetches.incrementAndGet();
            byte[] body = new JWKSet(List.of(key.toPublicJWK())).toString().getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.createContext("/.well-known/oauth-authorization-server", exchange -> {
            byte[] body = ("{\"issuer\":\"" + issuer() + "\",\"jwks_uri\":\"" + jwksUri()
                    + "\",\"response_types_supported\":[\"code\"]}").getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    private static RSAKey newKey(String kid) throws JOSEException {
        return new RSAKeyGenerator(2048).keyID(kid).keyUse(KeyUse.SIGNATURE).algorithm(JWSAlgorithm.RS256).generate();
    }

    String issuer() {
        return "http://127.0.0.1:" + server.getAddress().getPort();
    }

    String jwksUri() {
        return issuer() + "/jwks";
    }

    int jwksFetches() {
        return jwksFetches.get();
    }

    /** Replaces the signing key with a new one (a new key id); the JWKS then lists only the new key. */
    synchronized void rotate() throws JOSEException {
        key = newKey("k" + (++generation));
    }

    /** A token signed with the current key. */
    String token(String subject, String scope, String audience) throws JOSEException {
        return token(subject, scope, audience, issuer(), Duration.ofMinutes(5));
    }

    /** A token with every claim chosen (a negative lifetime makes an expired one). */
    String token(String subject, String scope, String audience, String issuer, Duration lifetime) throws JOSEException {
        Instant now = Instant.now();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(issuer).subject(subject).audience(audience)
                .issueTime(Date.from(now.minus(Duration.ofMinutes(20)))).expirationTime(Date.from(now.plus(lifetime)))
                .claim("scope", scope).build();
        RSAKey signing = key;
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(signing.getKeyID())
                .type(JOSEObjectType.JWT).build(), claims);
        jwt.sign(new RSASSASigner(signing));
        return jwt.serialize();
    }

    /** A token signed by a key the issuer never published (same key id as the current one). */
    String forged(String subject, String scope, String audience) throws JOSEException {
        RSAKey other = new RSAKeyGenerator(2048).keyID(key.getKeyID()).generate();
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(issuer()).subject(subject).audience(audience)
                .expirationTime(Date.from(Instant.now().plus(Duration.ofMinutes(5)))).claim("scope", scope).build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(other.getKeyID())
                .type(JOSEObjectType.JWT).build(), claims);
        jwt.sign(new RSASSASigner(other));
        return jwt.serialize();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
