package org.axdse.job.exec;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.hadoop.conf.Configuration;
import org.axdse.job.search.Candidate;
import org.axdse.kernel.AxdseException;
import org.axdse.kernel.conv.LutKernels;
import org.axdse.kernel.conv.KernelWarmUp;
import org.axdse.kernel.cuda.CudaLutKernels;
import org.axdse.kernel.data.DataSets;
import org.axdse.kernel.data.ImageSet;
import org.axdse.kernel.data.Normalization;
import org.axdse.kernel.model.Assignment;
import org.axdse.kernel.model.ForwardPass;
import org.axdse.kernel.model.Network;
import org.axdse.kernel.onnx.OnnxImporter;
import org.axdse.kernel.model.Predictions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The executor side of a search: evaluates one candidate batch on one shard and returns a row per
 * candidate. Networks and shards are cached per executor JVM (keyed by model hash and image range), so
 * the tasks of a job import the model and read the data once per executor.
 *
 * <p>GPU: {@link GpuSelection} decides the backend from the task's {@code gpu} resource. On a GPU the
 * approximate layers run with the CUDA kernels (same results as the CPU); if anything on the GPU path fails
 * (no driver, out of memory, a launch failure), the executor logs why once, stops using that device, and
 * the task runs on the CPU. The {@code backend} column says which: {@code cuda:<n>}, {@code cpu}, or
 * {@code cpu (gpu <address> given: <reason>)}.
 */
public final class ShardEvaluator {
    private static final Logger LOG = LoggerFactory.getLogger(ShardEvaluator.class);
    private static final Map<String, Network> NETWORKS = new ConcurrentHashMap<>();
    private static final Map<String, ImageSet> SHARDS = new ConcurrentHashMap<>();
    private static final java.util.Set<String> WARNED = ConcurrentHashMap.newKeySet();

    private ShardEvaluator() {
    }

    /**
     * @param in         the broadcast inputs
     * @param batchIndex which candidate batch
     * @param shard      which images
     * @return one row per candidate of the batch
     */
    public static List<EvaluationRow> evaluate(JobInputs in, int batchIndex, ShardSpec shard) {
        KernelWarmUp.start(); // once per executor JVM: see KernelWarmUp
        try {
            return evaluate(in, batchIndex, shard, GpuSelection.forTask());
        } catch (OutOfMemoryError e) {
            // The task's kernels and activations are unreachable once this frame unwinds; as an AxdseException the
            // failure is an ordinary task failure (Spark would otherwise treat it as fatal and kill the JVM) and the
            // command line prints one line saying which setting to lower.
            throw outOfMemory(e, in.candidateBatches().get(batchIndex).size(), in.imageBatch(), shard);
        }
    }

    /**
     * @param e          what the task threw
     * @param candidates candidates of its batch
     * @param imageBatch images per forward batch
     * @param shard      its images
     * @return the error to report: which settings make a task's memory smaller
     */
    static AxdseException outOfMemory(OutOfMemoryError e, int candidates, int imageBatch, ShardSpec shard) {
        return new AxdseException("a task ran out of memory (" + e.getMessage() + ") evaluating " + candidates + " candidate(s) on"
                + " test images " + shard.from() + ".." + (shard.to() - 1) + " in forward batches of " + imageBatch + " images;"
                + " lower axdse.batch.candidates (each candidate keeps a product table per layer) or axdse.batch.images, or give"
                + " the tasks more heap (spark.executor.memory; local mode: the driver's, AXDSE_JAVA_OPTS=-Xmx...)", e);
    }

    /** As {@link #evaluate(JobInputs, int, ShardSpec)} with the backend already chosen (tests choose it). */
    static List<EvaluationRow> evaluate(JobInputs in, int batchIndex, ShardSpec shard, GpuSelection.Choice choice) {
        long t0 = System.nanoTime();
        Network net = NETWORKS.computeIfAbsent(in.modelSha256(), k -> OnnxImporter.load(in.modelBytes(), in.modelSource()));
        ImageSet images = SHARDS.computeIfAbsent(in.data() + "#" + shard.from() + "-" + shard.to(),
                k -> read(in.data(), shard, in.hadoopConfiguration()));
        List<Candidate> candidates = in.candidateBatches().get(batchIndex);
        List<Assignment> assignments = new ArrayList<>();
        for (Candidate c : candidates) {
            assignments.add(Assignment.ofNames(c.names(), in.tables()::get));
        }
        for (int label : images.labels()) {
            if (label < 0 || label >= net.outputSize()) {
                throw new AxdseException(in.data() + ": label " + label + " is outside the model's " + net.outputSize() + " classes");
            }
        }
        if (!choice.cuda() && choice.address() != null && WARNED.add(choice.backend())) {
            LOG.warn("task was given GPU {} but runs on the CPU: {}", choice.address(), choice.reason());
        }
        Counts counts = null;
        if (choice.cuda()) {
            int device = choice.device();
            GpuSelection.Slots.Permit permit = GpuSelection.acquire(device); // waits while the device is busy
            try (CudaLutKernels kernels = new CudaLutKernels(GpuSelection.context(device))) {
                counts = count(in, net, images, assignments, kernels);
            } catch (RuntimeException | LinkageError e) { // no driver, out of memory, launch failure, ...
                if (!CudaFailures.fromCuda(e)) {
                    throw e; // bad input or a bug: the CPU would fail too, and the device stays in use
                }
                String why = CudaFailures.summary(e);
                GpuSelection.markFailed(device, why);
                if (counts == null) {
                    choice = choice.onCpu("CUDA failed: " + why);
                }
                if (WARNED.add("failed cuda:" + device)) {
                    LOG.warn("CUDA failed on GPU " + choice.address() + "; " + (counts == null ? "this and " : "")
                            + "later tasks of this executor run on the CPU", e);
                }
            } finally {
                permit.close();
            }
        }
        if (counts == null) {
            counts = count(in, net, images, assignments, LutKernels.cpu());
        }
        String backend = choice.backend();
        double perCandidate = (System.nanoTime() - t0) / 1e9 / candidates.size();
        String executor = executor();
        List<EvaluationRow> rows = new ArrayList<>();
        int n = candidates.size();
        long computed = counts.macsComputed();
        long naivePerCandidate = (long) images.count() * net.macsPerImage();
        for (int c = 0; c < n; c++) {
            long share = computed / n + (c < computed % n ? 1 : 0);
            rows.add(new EvaluationRow(candidates.get(c).id(), shard.id(), counts.correct()[c], images.count(), perCandidate, backend,
                    executor, share, naivePerCandidate, counts.bits()[c]));
        }
        return rows;
    }

    /** Correct predictions per candidate, which images they were, and the layer MACs computed. */
    private record Counts(long[] correct, long[][] bits, long macsComputed) {
    }

    /** The shard's forward passes on one backend. */
    private static Counts count(JobInputs in, Network net, ImageSet images, List<Assignment> assignments, LutKernels kernels) {
        long[] correct = new long[assignments.size()];
        long[][] bits = new long[assignments.size()][(images.count() + 63) / 64];
        int size = images.imageSize();
        int classes = net.outputSize();
        try (ForwardPass fp = new ForwardPass(net, in.quant(), in.ranges(), kernels)) {
            for (int start = 0; start < images.count(); start += in.imageBatch()) {
                int b = Math.min(in.imageBatch(), images.count() - start);
                float[] x = Arrays.copyOfRange(images.pixels(), start * size, (start + b) * size);
                List<float[]> logits = fp.logits(x, b, assignments);
                int[] labels = images.labels();
                for (int c = 0; c < assignments.size(); c++) {
                    float[] l = logits.get(c);
                    for (int i = 0; i < b; i++) {
                        if (Predictions.top1(l, i * classes, classes) == labels[start + i]) {
                            correct[c]++;
                            bits[c][(start + i) >>> 6] |= 1L << (start + i);
                        }
                    }
                }
            }
            return new Counts(correct, bits, fp.macsComputed());
        }
    }

    private static ImageSet read(String data, ShardSpec shard, Configuration conf) {
        try {
            String dir = data.equals("fashion-mnist") ? DataSets.FASHION_MNIST : data;
            ImageSet all = DataSets.read(new HadoopStorage(dir, conf), DataSets.Split.TEST, shard.to(),
                    Normalization.UNIT);
            return all.slice(shard.from(), shard.to());
        } catch (IOException e) {
            throw new AxdseException(data + ": cannot open the data set on this executor (" + e + ")", e);
        }
    }

    private static String executor() {
        org.apache.spark.SparkEnv env = org.apache.spark.SparkEnv.get();
        String id = env == null ? "local" : env.executorId();
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "unknown";
        }
        return id + "@" + host;
    }
}
