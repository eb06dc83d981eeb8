package org.axdse.job.train;

import java.util.Random;
import java.util.function.IntConsumer;

import org.axdse.kernel.data.ImageSet;
import org.axdse.kernel.graph.Tensor;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.TrainingConfig;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.dataset.DataSet;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

/** The training loop and weight export shared by the bundled models' trainers. */
final class SameDiffTraining {
    private SameDiffTraining() {
    }

    /**
     * Adam on softmax cross-entropy over seeded shuffles of the training images; a graph with placeholders
     * {@code input} (NCHW) and {@code label} (one-hot, 10 classes) and loss variable {@code loss}.
     */
    static void fit(SameDiff sd, ImageSet train, int epochs, int batchSize, double learningRate, long seed, IntConsumer afterEpoch) {
        sd.setLossVariables("loss");
        sd.setTrainingConfig(TrainingConfig.builder().updater(new Adam(learningRate))
                .dataSetFeatureMapping("input").dataSetLabelMapping("label").build());
        int n = train.count();
        int size = train.imageSize();
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        Random rnd = new Random(seed);
        for (int epoch = 0; epoch < epochs; epoch++) {
            for (int i = n - 1; i > 0; i--) {
                int j = rnd.nextInt(i + 1);
                int t = order[i];
                order[i] = order[j];
                order[j] = t;
            }
            for (int start = 0; start + batchSize <= n; start += batchSize) {
                float[] f = new float[batchSize * size];
                float[] l = new float[batchSize * 10];
                for (int b = 0; b < batchSize; b++) {
                    int idx = order[start + b];
                    System.arraycopy(train.pixels(), idx * size, f, b * size, size);
                    l[b * 10 + train.labels()[idx]] = 1f;
                }
                INDArray features = Nd4j.create(f, new long[] {batchSize, train.channels(), train.height(), train.width()}, 'c');
                INDArray labels = Nd4j.create(l, new long[] {batchSize, 10}, 'c');
                sd.fit(new DataSet(features, labels));
            }
            afterEpoch.accept(epoch + 1);
        }
    }

    /** A trained variable as a {@link Tensor}; rank-4 convolution weights go from ND4J's YXIO to ONNX's OIYX. */
    static Tensor tensor(SameDiff sd, String name) {
        return tensor(sd.getVariable(name).getArr());
    }

    static Tensor tensor(INDArray array) {
        INDArray a = array.rank() == 4 ? array.permute(3, 2, 0, 1) : array;
        a = a.dup('c');
        long[] s = a.shape();
        int[] shape = new int[s.length];
        for (int i = 0; i < s.length; i++) {
            shape[i] = (int) s[i];
        }
        return Tensor.floats(shape, a.data().asFloat());
    }
}
