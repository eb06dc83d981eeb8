package org.axdse.job.cli;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;

import org.axdse.kernel.AxdseException;
import org.axdse.kernel.model.Network;
import org.axdse.kernel.onnx.OnnxImporter;

/** The model that ships inside the spark-job jar, and the {@code --model} option that names it or a file. */
final class BundledModel {
    /** Name of the bundled LeNet-5 for {@code --model}. */
    static final String NAME = "lenet5";
    /** Name of the bundled ResNet-8 (width 8) for {@code --model}. */
    static final String RESNET8 = "resnet8";
    /** Class-path resource of the bundled model. */
    static final String RESOURCE = "/models/lenet5-fashion-mnist.onnx";
    /** Where {@code axdse train} writes it in the source tree. */
    static final String SOURCE_PATH = "spark-job/src/main/resources/models/lenet5-fashion-mnist.onnx";

    private BundledModel() {
    }

    /**
     * @param spec {@value #NAME} or {@value #RESNET8} (the bundled models) or an .onnx path
     * @return the network
     */
    static Network load(String spec) {
        if (!spec.equals(NAME) && !spec.equals(RESNET8)) {
            return OnnxImporter.load(Path.of(spec));
        }
        String resource = spec.equals(NAME) ? RESOURCE : RESOURCE.replace("lenet5", "resnet8");
        try (InputStream in = BundledModel.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new AxdseException("the bundled model " + resource + " is missing from the class path (rebuild the project)");
            }
            return OnnxImporter.load(in.readAllBytes(), "bundled:" + resource.substring(1));
        } catch (IOException e) {
            throw new AxdseException("cannot read the bundled model (" + e + ")", e);
        }
    }
}
