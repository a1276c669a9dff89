package dev.plugboard.host.embedding;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * One of the shipped sentence-embedding models, run by ONNX Runtime with session options chosen for
 * the latency of a single short query rather than the library defaults: one thread per inference (a
 * query of a few dozen tokens gains nothing from splitting its matrix products across threads, and
 * pays for waking them), threads that sleep instead of spinning while they wait (they would otherwise
 * take the CPU from the request threads), and every graph optimisation. Batches of documents still run
 * in parallel, one text per thread, through the executor of the model base class. The session lives
 * as long as the process (as the library's own models do): a search may be embedding at any moment.
 */
final class OnnxModel extends AbstractInProcessEmbeddingModel {

    private final OnnxBertBiEncoder encoder;
    private final int dimensions;

    /**
     * Loads a model from the class path.
     *
     * @param modelResource the ONNX file's resource name
     * @param tokenizerResource the tokenizer's resource name
     * @param pooling how token vectors become one vector
     * @param dimensions the model's dimensions
     */
    OnnxModel(String modelResource, String tokenizerResource, PoolingMode pooling, int dimensions) {
        super(null);
        this.dimensions = dimensions;
        OrtEnvironment environment = OrtEnvironment.getEnvironment();
        try (OrtSession.SessionOptions options = new OrtSession.SessionOptions();
                InputStream tokenizer = resource(tokenizerResource)) {
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            options.setExecutionMode(OrtSession.SessionOptions.ExecutionMode.SEQUENTIAL);
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            options.addConfigEntry("session.intra_op.allow_spinning", "0");
            options.addConfigEntry("session.inter_op.allow_spinning", "0");
            byte[] model;
            try (InputStream in = resource(modelResource)) {
                model = in.readAllBytes();
            }
            this.encoder = new OnnxBertBiEncoder(environment, environment.createSession(model, options), tokenizer,
                    pooling);
        } catch (OrtException e) {
            throw new IllegalStateException("the embedding model " + modelResource + " cannot be loaded: "
                    + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("the embedding model " + modelResource + " cannot be read", e);
        }
    }

    private static InputStream resource(String name) throws IOException {
        InputStream in = OnnxModel.class.getClassLoader().getResourceAsStream(name);
        if (in == null) {
            throw new IOException(name + " is not on the class path");
        }
        return in;
    }

    @Override
    protected OnnxBertBiEncoder model() {
        return encoder;
    }

    @Override
    protected Integer knownDimension() {
        return dimensions;
    }
}
