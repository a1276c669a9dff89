package dev.plugboard.bench.servers;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;

/**
 * Where everything the benchmarks run lives, found from the repository's root after
 * {@code bench/run} has built it.
 *
 * @param root the repository
 * @param distribution the unpacked Plugboard distribution
 * @param echoBundle the echo tool bundle
 * @param firstPartyBundles the bundles the distribution ships
 * @param helloV1 a tool bundle to hot-deploy
 * @param helloV2 its second version
 * @param javaSdkPeer the Java SDK peer's jar
 * @param tsSdkPeer the TypeScript SDK peer's script
 * @param java the Java launcher every JVM runs on
 * @param node the Node.js launcher
 * @param work a scratch folder for data, deploy folders and logs
 */
public record Layout(Path root, Path distribution, Path echoBundle, List<Path> firstPartyBundles, Path helloV1,
        Path helloV2, Path javaSdkPeer, Path tsSdkPeer, Path java, Path node, Path work) {

    /** The layout of a built repository; fails with what is missing. */
    public static Layout of(Path root, Path java, Path node, Path work) throws IOException {
        Path distribution = root.resolve("distribution/target/plugboard");
        List<Path> shipped;
        try (var files = Files.list(distribution.resolve("bundles"))) {
            shipped = files.filter(f -> f.toString().endsWith(".jar")).sorted().toList();
        } catch (IOException e) {
            throw new IOException("no distribution at " + distribution + "; run bench/run, which builds it", e);
        }
        Layout layout = new Layout(root, distribution,
                root.resolve("bench/echo-plugin/target/plugboard-bench-echo-0.1.0-SNAPSHOT.jar"), shipped,
                root.resolve("tests/fixtures/hello-v1/target/fixture-hello-v1-0.1.0-SNAPSHOT.jar"),
                root.resolve("tests/fixtures/hello-v2/target/fixture-hello-v2-0.1.0-SNAPSHOT.jar"),
                root.resolve("bench/peers/java-sdk/target/java-sdk-peer.jar"),
                root.resolve("bench/peers/ts-sdk/server.mjs"), java, node, work);
        for (Path required : List.of(layout.echoBundle, layout.helloV1, layout.helloV2, layout.javaSdkPeer,
                layout.tsSdkPeer, layout.java, layout.node)) {
            if (!Files.exists(required)) {
                throw new IOException(required + " is missing; run bench/run, which builds everything first");
            }
        }
        return layout;
    }

    /**
     * The same layout with the Plugboard distribution and echo bundle of another built repository
     * (whose echo bundle is built against its own API).
     */
    public Layout withDistributionOf(Path otherRoot) throws IOException {
        Path other = otherRoot.resolve("distribution/target/plugboard");
        Path otherEcho = otherRoot.resolve(root.relativize(echoBundle));
        if (!Files.isRegularFile(other.resolve("bin/plugboard")) || !Files.isRegularFile(otherEcho)) {
            throw new IOException("no distribution or echo bundle in " + otherRoot + "; build that repository first");
        }
        return new Layout(root, other, otherEcho, firstPartyBundles, helloV1, helloV2, javaSdkPeer, tsSdkPeer, java,
                node, work);
    }

    /** The bare Grizzly and Jackson echo handler's jar (built by bench/run). */
    public Path grizzlyBarePeer() {
        return root.resolve("bench/peers/grizzly-bare/target/grizzly-bare-peer.jar");
    }

    /** The test fixture whose tools misbehave (spin, hang, ignore interrupts). */
    public Path misbehavingBundle() {
        return root.resolve("tests/fixtures/misbehaving/target/fixture-misbehaving-0.1.0-SNAPSHOT.jar");
    }

    /** The Plugboard launcher script. */
    public Path plugboard() {
        return distribution.resolve("bin/plugboard");
    }

    /** Deletes a folder and everything in it; nothing happens when it does not exist. */
    public static void deleteTree(Path folder) throws IOException {
        if (!Files.exists(folder)) {
            return;
        }
        try (var paths = Files.walk(folder)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
