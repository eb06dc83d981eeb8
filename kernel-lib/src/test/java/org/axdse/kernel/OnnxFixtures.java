package org.axdse.kernel;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Random;

import org.axdse.kernel.model.Network;
import org.axdse.kernel.onnx.OnnxImporter;

/**
 * The ONNX test fixtures under {@code src/test/resources/onnx/} (made by {@code make_fixtures.py}), shared by the
 * tests of the onnx, model and estimate packages.
 */
public final class OnnxFixtures {
    private OnnxFixtures() {
    }

    /**
     * @param name a file under {@code /onnx/}
     * @return its bytes
     */
    public static byte[] resource(String name) throws IOException {
        try (InputStream in = OnnxFixtures.class.getResourceAsStream("/onnx/" + name)) {
            if (in == null) {
                throw new IOException("missing test resource /onnx/" + name);
            }
            return in.readAllBytes();
        }
    }

    /**
     * @param name a little-endian float32 file under {@code /onnx/}
     * @return its values
     */
    public static float[] floats(String name) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(resource(name)).order(ByteOrder.LITTLE_ENDIAN);
        float[] f = new float[b.remaining() / 4];
        b.asFloatBuffer().get(f);
        return f;
    }

    /** @return the residual fixture (three convolutions with a skip connection and a Gemm; 4 layers) */
    public static Network residual() throws IOException {
        return OnnxImporter.load(resource("residual.onnx"), "residual.onnx");
    }

    /**
     * @param net  a network
     * @param n    images
     * @param seed seed
     * @return {@code n} images of uniform random values in [-1, 1)
     */
    public static float[] images(Network net, int n, long seed) {
        return TestTables.randomFloats(new Random(seed), n * net.inputSize(), -1f, 1f);
    }
}
