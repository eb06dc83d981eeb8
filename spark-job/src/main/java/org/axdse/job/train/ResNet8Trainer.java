package org.axdse.job.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.axdse.kernel.data.ImageSet;
import org.axdse.kernel.graph.Tensor;
import org.axdse.kernel.onnx.OnnxModelWriter;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.weightinit.impl.XavierInitScheme;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Trains a CIFAR-style ResNet-8 (He et al.'s 6n+2 family, n = 1) for 1x28x28 images with ND4J SameDiff:
 * conv 3x3 + BN + ReLU, three residual stages of one basic block each (widths w, 2w, 4w; stride 2 with a
 * 1x1 conv + BN shortcut when the shape changes), global average pooling and a dense layer.
 *
 * <p>BatchNormalization trains on batch statistics; after training, its population mean and variance are
 * measured over the first {@value #STATISTICS_IMAGES} training images with the final weights and written
 * into the ONNX BatchNormalization nodes (AxDSE's importer folds them into the convolutions).
 */
public final class ResNet8Trainer {
    private static final Logger LOG = LoggerFactory.getLogger(ResNet8Trainer.class);
    static final float EPSILON = 1e-5f;
    static final int STATISTICS_IMAGES = 5000;

    /** Hyper-parameters. */
    public record Recipe(int width, int epochs, int batchSize, double learningRate, long seed) {
        /** A narrow ResNet-8 (8/16/32 channels) that trains on this 2-core machine in minutes. */
        public static final Recipe DEFAULT = new Recipe(8, 2, 64, 2e-3, 20261122L);
    }

    private final SameDiff sd = SameDiff.create();
    private final List<String> bnInputs = new ArrayList<>();
    private final List<String[]> nodes = new ArrayList<>();
    private int convs;

    private ResNet8Trainer() {
    }

    /**
     * @param train  training images, 1x28x28, normalised
     * @param recipe hyper-parameters
     * @return the trained model as ONNX bytes
     */
    public static byte[] train(ImageSet train, Recipe recipe) {
        Nd4j.getRandom().setSeed(recipe.seed());
        ResNet8Trainer t = new ResNet8Trainer();
        SDVariable logits = t.graph(recipe.width());
        SDVariable label = t.sd.placeHolder("label", DataType.FLOAT, -1, 10);
        t.sd.loss().softmaxCrossEntropy("loss", label, logits, null);
        SameDiffTraining.fit(t.sd, train, recipe.epochs(), recipe.batchSize(), recipe.learningRate(), recipe.seed(),
                epoch -> LOG.info("epoch {} of {} done", epoch, recipe.epochs()));
        return t.export(train, recipe);
    }

    private SDVariable graph(int w) {
        SDVariable x = sd.placeHolder("input", DataType.FLOAT, -1, 1, 28, 28);
        x = sd.nn().relu(convBn(x, 1, w, 3, 1), 0);
        x = block(x, w, w, 1);
        x = block(x, w, 2 * w, 2);
        x = block(x, 2 * w, 4 * w, 2);
        x = sd.mean(x, false, 2, 3);
        SDVariable fw = sd.var("fc.w", new XavierInitScheme('c', 4 * w, 10), DataType.FLOAT, 4 * w, 10);
        SDVariable fb = sd.zero("fc.b", DataType.FLOAT, 10);
        return sd.nn().linear("logits", x, fw, fb);
    }

    private SDVariable block(SDVariable x, int in, int out, int stride) {
        SDVariable y = sd.nn().relu(convBn(x, in, out, 3, stride), 0);
        y = convBn(y, out, out, 3, 1);
        SDVariable shortcut = in == out && stride == 1 ? x : convBn(x, in, out, 1, stride);
        return sd.nn().relu(y.add(shortcut), 0);
    }

    /** conv (no bias, "same" padding) + batch-statistics BN; remembers the names for the export. */
    private SDVariable convBn(SDVariable x, int in, int out, int k, int stride) {
        String c = "conv" + convs++;
        SDVariable w = sd.var(c + ".w", new XavierInitScheme('c', in * k * k, out * k * k), DataType.FLOAT, k, k, in, out);
        Conv2DConfig cfg = Conv2DConfig.builder().kH(k).kW(k).sH(stride).sW(stride).pH(k / 2).pW(k / 2).dH(1).dW(1)
                .paddingMode(PaddingMode.VALID).dataFormat(Conv2DConfig.NCHW).weightsFormat(WeightsFormat.YXIO).build();
        SDVariable y = sd.cnn().conv2d(c + ".out", x, w, cfg);
        SDVariable gamma = sd.var(c + ".gamma", Nd4j.ones(DataType.FLOAT, 1, out, 1, 1));
        SDVariable beta = sd.var(c + ".beta", Nd4j.zeros(DataType.FLOAT, 1, out, 1, 1));
        SDVariable mean = sd.mean(y, true, 0, 2, 3);
        SDVariable centred = y.sub(mean);
        SDVariable var = sd.mean(centred.mul(centred), true, 0, 2, 3);
        bnInputs.add(c + ".out");
        nodes.add(new String[] {c, String.valueOf(k), String.valueOf(stride)});
        return centred.mul(sd.math().rsqrt(var.add(EPSILON))).mul(gamma).add(beta);
    }

    /** Population statistics of each BN input (per channel) over the first training images. */
    private float[][][] statistics(ImageSet train) {
        int n = Math.min(STATISTICS_IMAGES, train.count());
        int batch = 250;
        int layers = bnInputs.size();
        double[][] sum = new double[layers][];
        double[][] sumSq = new double[layers][];
        long[] count = new long[layers];
        for (int start = 0; start < n; start += batch) {
            int b = Math.min(batch, n - start);
            float[] f = java.util.Arrays.copyOfRange(train.pixels(), start * train.imageSize(), (start + b) * train.imageSize());
            INDArray in = Nd4j.create(f, new long[] {b, 1, 28, 28}, 'c');
            Map<String, INDArray> out = sd.output(Map.of("input", in), bnInputs.toArray(new String[0]));
            for (int l = 0; l < layers; l++) {
                INDArray a = out.get(bnInputs.get(l));
                int c = (int) a.size(1);
                if (sum[l] == null) {
                    sum[l] = new double[c];
                    sumSq[l] = new double[c];
                }
                float[] v = a.dup('c').data().asFloat();
                int area = v.length / (b * c);
                for (int i = 0; i < v.length; i++) {
                    int ch = (i / area) % c;
                    sum[l][ch] += v[i];
                    sumSq[l][ch] += (double) v[i] * v[i];
                }
                count[l] += (long) b * area;
            }
        }
        float[][][] stats = new float[layers][2][];
        for (int l = 0; l < layers; l++) {
            int c = sum[l].length;
            stats[l][0] = new float[c];
            stats[l][1] = new float[c];
            for (int ch = 0; ch < c; ch++) {
                double m = sum[l][ch] / count[l];
                stats[l][0][ch] = (float) m;
                stats[l][1][ch] = (float) Math.max(0, sumSq[l][ch] / count[l] - m * m);
            }
        }
        return stats;
    }

    private byte[] export(ImageSet train, Recipe recipe) {
        float[][][] stats = statistics(train);
        OnnxModelWriter m = new OnnxModelWriter("resnet8_fashion_mnist", "input", new int[] {1, 28, 28}, 13);
        int[] next = {0};
        java.util.function.BiFunction<String, Boolean, String> convBn = (input, relu) -> {
            int i = next[0]++;
            String[] node = nodes.get(i);
            String c = node[0];
            int k = Integer.parseInt(node[1]);
            int s = Integer.parseInt(node[2]);
            String y = m.node("Conv", OnnxModelWriter.of(input, m.initializer(c + ".weight", SameDiffTraining.tensor(sd, c + ".w"))),
                    c, OnnxModelWriter.ints("kernel_shape", k, k), OnnxModelWriter.ints("strides", s, s),
                    OnnxModelWriter.ints("pads", k / 2, k / 2, k / 2, k / 2));
            int ch = stats[i][0].length;
            y = m.node("BatchNormalization", OnnxModelWriter.of(y,
                    m.initializer(c + ".bn.scale", vector(SameDiffTraining.tensor(sd, c + ".gamma"), ch)),
                    m.initializer(c + ".bn.bias", vector(SameDiffTraining.tensor(sd, c + ".beta"), ch)),
                    m.initializer(c + ".bn.mean", Tensor.floats(new int[] {ch}, stats[i][0])),
                    m.initializer(c + ".bn.var", Tensor.floats(new int[] {ch}, stats[i][1]))), c + ".bn",
                    OnnxModelWriter.real("epsilon", EPSILON));
            return relu ? m.node("Relu", OnnxModelWriter.of(y), c + ".relu") : y;
        };
        String x = convBn.apply("input", true);
        int w = recipe.width();
        int[][] stages = {{w, w, 1}, {w, 2 * w, 2}, {2 * w, 4 * w, 2}};
        for (int[] st : stages) {
            String y = convBn.apply(x, true);
            y = convBn.apply(y, false);
            String shortcut = st[0] == st[1] && st[2] == 1 ? x : convBn.apply(x, false);
            x = m.node("Relu", OnnxModelWriter.of(m.node("Add", OnnxModelWriter.of(y, shortcut), y + ".add")), y + ".out");
        }
        x = m.node("GlobalAveragePool", OnnxModelWriter.of(x), "gap");
        x = m.node("Flatten", OnnxModelWriter.of(x), "flat", OnnxModelWriter.integer("axis", 1));
        x = m.node("Gemm", OnnxModelWriter.of(x, m.initializer("fc.weight", SameDiffTraining.tensor(sd, "fc.w")),
                m.initializer("fc.bias", SameDiffTraining.tensor(sd, "fc.b"))), "logits");
        return m.build(x, 10, "ResNet-8 (width " + w + ") trained on Fashion-MNIST by axdse train: " + recipe);
    }

    private static Tensor vector(Tensor t, int n) {
        return t.reshape(new int[] {n});
    }
}
