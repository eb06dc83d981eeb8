package org.axdse.job.train;


import org.axdse.kernel.data.ImageSet;
import org.axdse.kernel.graph.Tensor;
import org.axdse.kernel.onnx.OnnxModelWriter;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Pooling2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.weightinit.impl.XavierInitScheme;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains the bundled LeNet-5 (the TFApprox example's: Conv 6@3x3 + ReLU, AvgPool 2, Conv 16@3x3 + ReLU,
 * Flatten, Dense 120 + ReLU, Dense 84 + ReLU, Dense 10) with ND4J SameDiff (Adam, softmax cross-entropy,
 * seeded shuffling and initialisation) and writes it as ONNX (opset 13: Conv, Relu, AveragePool, Flatten,
 * Gemm).
 */
public final class LeNetTrainer {
    private static final Logger LOG = LoggerFactory.getLogger(LeNetTrainer.class);

    /** Training hyper-parameters. */
    public record Recipe(int epochs, int batchSize, double learningRate, long seed) {
        /** The bundled model's recipe. */
        public static final Recipe DEFAULT = new Recipe(6, 64, 1e-3, 20261122L);
    }

    private LeNetTrainer() {
    }

    /**
     * @param train  training images, 1x28x28, normalised
     * @param recipe hyper-parameters
     * @return the trained model as ONNX bytes
     */
    public static byte[] train(ImageSet train, Recipe recipe) {
        Nd4j.getRandom().setSeed(recipe.seed());
        SameDiff sd = SameDiff.create();
        SDVariable in = sd.placeHolder("input", DataType.FLOAT, -1, 1, 28, 28);
        SDVariable label = sd.placeHolder("label", DataType.FLOAT, -1, 10);
        // Convolution weights in ND4J's default YXIO layout (its conv2d backward pass ignores other layouts);
        // export transposes them to ONNX's OIYX.
        SDVariable w1 = sd.var("w1", new XavierInitScheme('c', 9, 6 * 9), DataType.FLOAT, 3, 3, 1, 6);
        SDVariable b1 = sd.zero("b1", DataType.FLOAT, 6);
        SDVariable w2 = sd.var("w2", new XavierInitScheme('c', 6 * 9, 16 * 9), DataType.FLOAT, 3, 3, 6, 16);
        SDVariable b2 = sd.zero("b2", DataType.FLOAT, 16);
        SDVariable w3 = sd.var("w3", new XavierInitScheme('c', 1936, 120), DataType.FLOAT, 1936, 120);
        SDVariable b3 = sd.zero("b3", DataType.FLOAT, 120);
        SDVariable w4 = sd.var("w4", new XavierInitScheme('c', 120, 84), DataType.FLOAT, 120, 84);
        SDVariable b4 = sd.zero("b4", DataType.FLOAT, 84);
        SDVariable w5 = sd.var("w5", new XavierInitScheme('c', 84, 10), DataType.FLOAT, 84, 10);
        SDVariable b5 = sd.zero("b5", DataType.FLOAT, 10);
        Conv2DConfig conv = Conv2DConfig.builder().kH(3).kW(3).sH(1).sW(1).pH(0).pW(0).dH(1).dW(1)
                .paddingMode(PaddingMode.VALID).dataFormat(Conv2DConfig.NCHW).weightsFormat(WeightsFormat.YXIO).build();
        Pooling2DConfig pool = Pooling2DConfig.builder().kH(2).kW(2).sH(2).sW(2).pH(0).pW(0).dH(1).dW(1)
                .type(Pooling2D.Pooling2DType.AVG).paddingMode(PaddingMode.VALID).isNHWC(false).build();
        SDVariable x = sd.nn().relu(sd.cnn().conv2d(in, w1, b1, conv), 0);
        x = sd.cnn().avgPooling2d(x, pool);
        x = sd.nn().relu(sd.cnn().conv2d(x, w2, b2, conv), 0);
        x = x.reshape(-1, 1936);
        x = sd.nn().relu(sd.nn().linear(x, w3, b3), 0);
        x = sd.nn().relu(sd.nn().linear(x, w4, b4), 0);
        SDVariable logits = sd.nn().linear("logits", x, w5, b5);
        sd.loss().softmaxCrossEntropy("loss", label, logits, null);
        SameDiffTraining.fit(sd, train, recipe.epochs(), recipe.batchSize(), recipe.learningRate(), recipe.seed(),
                epoch -> LOG.info("epoch {} of {} done", epoch, recipe.epochs()));
        return export(sd, recipe);
    }

    private static Tensor tensor(SameDiff sd, String name) {
        return SameDiffTraining.tensor(sd, name);
    }

    private static byte[] export(SameDiff sd, Recipe recipe) {
        OnnxModelWriter m = new OnnxModelWriter("lenet5_fashion_mnist", "input", new int[] {1, 28, 28}, 13);
        String x = m.node("Conv", OnnxModelWriter.of("input", m.initializer("conv1.weight", tensor(sd, "w1")),
                m.initializer("conv1.bias", tensor(sd, "b1"))), "conv1", OnnxModelWriter.ints("kernel_shape", 3, 3));
        x = m.node("Relu", OnnxModelWriter.of(x), "relu1");
        x = m.node("AveragePool", OnnxModelWriter.of(x), "pool1", OnnxModelWriter.ints("kernel_shape", 2, 2),
                OnnxModelWriter.ints("strides", 2, 2));
        x = m.node("Conv", OnnxModelWriter.of(x, m.initializer("conv2.weight", tensor(sd, "w2")),
                m.initializer("conv2.bias", tensor(sd, "b2"))), "conv2", OnnxModelWriter.ints("kernel_shape", 3, 3));
        x = m.node("Relu", OnnxModelWriter.of(x), "relu2");
        x = m.node("Flatten", OnnxModelWriter.of(x), "flat", OnnxModelWriter.integer("axis", 1));
        String[][] dense = {{"w3", "b3", "fc1"}, {"w4", "b4", "fc2"}, {"w5", "b5", "fc3"}};
        for (int i = 0; i < dense.length; i++) {
            x = m.node("Gemm", OnnxModelWriter.of(x, m.initializer(dense[i][2] + ".weight", tensor(sd, dense[i][0])),
                    m.initializer(dense[i][2] + ".bias", tensor(sd, dense[i][1]))), i == 2 ? "logits" : dense[i][2]);
            if (i < 2) {
                x = m.node("Relu", OnnxModelWriter.of(x), "relu_" + dense[i][2]);
            }
        }
        return m.build("logits", 10, "LeNet-5 (TFApprox example) trained on Fashion-MNIST by axdse train: " + recipe);
    }
}
