package org.axdse.job.cli;

import java.nio.file.Path;

import org.axdse.job.driver.BundledModels;
import org.axdse.kernel.model.Network;
import org.axdse.kernel.onnx.OnnxImporter;

/** The {@code --model} option of the CLI commands: a bundled model's name ({@link BundledModels}) or an .onnx file. */
final class BundledModel {
    /** Name of the bundled LeNet-5 for {@code --model}. */
    static final String NAME = BundledModels.LENET5;
    /** Class-path resource of the bundled LeNet-5. */
    static final String RESOURCE = BundledModels.resource(NAME);
    /** Where {@code axdse train} writes it in the source tree. */
    static final String SOURCE_PATH = "spark-job/src/main/resources" + RESOURCE;

    private BundledModel() {
    }

    /**
     * @param spec a bundled model's name ({@link BundledModels#NAMES}) or an .onnx path
     * @return the network
     */
    static Network load(String spec) {
        if (!BundledModels.isBundled(spec)) {
            return OnnxImporter.load(Path.of(spec));
        }
        return OnnxImporter.load(BundledModels.bytes(spec), BundledModels.source(spec));
    }
}
