package org.axdse.job.driver;

import java.io.IOException;
import java.io.InputStream;
import java.util.List;

import org.axdse.kernel.AxdseException;

/**
 * The models that ship inside the spark-job jar, named by {@code axdse.model} and {@code --model}: the one place
 * that maps a name to its class-path resource.
 */
public final class BundledModels {
    /** The bundled LeNet-5 (the default model). */
    public static final String LENET5 = "lenet5";
    /** The bundled ResNet-8 (width 8). */
    public static final String RESNET8 = "resnet8";
    /** The bundled ResNet-20 (16/32/64 channels; trained with spark-job/src/train/train_torch.py). */
    public static final String RESNET20 = "resnet20";
    /** The bundled MobileNet-style network with depthwise-separable blocks (train_torch.py). */
    public static final String MOBILENET = "mobilenet";
    /** Every bundled model's name. */
    public static final List<String> NAMES = List.of(LENET5, RESNET8, RESNET20, MOBILENET);

    private BundledModels() {
    }

    /**
     * @param spec a model name or a path
     * @return whether it names a bundled model
     */
    public static boolean isBundled(String spec) {
        return NAMES.contains(spec);
    }

    /**
     * @param name a bundled model's name
     * @return its class-path resource, e.g. {@code /models/lenet5-fashion-mnist.onnx}
     */
    public static String resource(String name) {
        if (!isBundled(name)) {
            throw new IllegalArgumentException("not a bundled model: " + name);
        }
        return "/models/" + name + "-fashion-mnist.onnx";
    }

    /**
     * @param name a bundled model's name
     * @return the source string its rows and logs show, e.g. {@code bundled:models/lenet5-fashion-mnist.onnx}
     */
    public static String source(String name) {
        return "bundled:" + resource(name).substring(1);
    }

    /**
     * @param name a bundled model's name
     * @return the ONNX file's bytes
     * @throws AxdseException when the resource is missing (a broken build) or unreadable
     */
    public static byte[] bytes(String name) {
        String resource = resource(name);
        try (InputStream in = BundledModels.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new AxdseException("the bundled model " + resource + " is missing from the class path (rebuild the project)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new AxdseException("cannot read the bundled model " + resource + " (" + e + ")", e);
        }
    }
}
