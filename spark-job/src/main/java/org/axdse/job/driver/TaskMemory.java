package org.axdse.job.driver;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.spark.SparkConf;
import org.axdse.job.config.JobConfig;
import org.axdse.job.search.SearchSpace;
import org.axdse.kernel.InvalidInputException;
import org.axdse.kernel.conv.Conv2dGeometry;
import org.axdse.kernel.conv.LutProductTable;
import org.axdse.kernel.model.ApproxLayer;
import org.axdse.kernel.model.Network;

/**
 * The heap a task needs, estimated before any Spark job, and the largest candidate batch
 * ({@code axdse.batch.candidates}) whose tasks fit the executors' heap together.
 *
 * <p>A task evaluates its candidates with one forward pass object that keeps, until the task ends, a CPU kernel per
 * approximable layer and multiplier its candidates use there: the layer's product table
 * ({@code groups x taps x 256 x rowStride x 4} bytes, kept whole up to {@link LutProductTable#DEFAULT_MAX_CACHED_BYTES},
 * else one slice), its quantized input codes and its accumulator chunk. So a task holds
 * {@code sum over layers of min(candidates, multipliers the layer allows) x kernel bytes}, plus the activations of a
 * forward batch: every value of one pass and the values the previous pass left for prefix reuse (counted as twice
 * the input and two tensors of each layer's output size per image, for the elementwise operator after it). The
 * executor runs {@code executor cores / spark.task.cpus} such tasks at once (local mode: the master's thread count,
 * in the driver's JVM). They must fit {@link #USABLE_SHARE} of the heap left after Spark's reserved 300 MiB.
 * Tasks on a GPU keep their tables on the device: the estimate is then an upper bound.
 */
final class TaskMemory {
    /** Heap Spark reserves for itself on every JVM (its {@code RESERVED_SYSTEM_MEMORY_BYTES}). */
    static final long SPARK_RESERVED_BYTES = 300L << 20;
    /** Share of the rest that the tasks may fill: the remainder is for Spark, the driver and garbage-collection slack. */
    static final double USABLE_SHARE = 0.9;
    /** The largest accumulator chunk of a CPU convolution kernel (CpuLutConv2d's chunk for large tables). */
    static final long CHUNK_BYTES = 8L << 20;
    /** The transposed table a CPU dense kernel keeps ({@code 256 x 256} ints). */
    static final long DENSE_TABLE_BYTES = 256L * 256 * 4;

    private TaskMemory() {
    }

    /**
     * Where tasks run: how many at once per JVM, and that JVM's heap.
     *
     * @param concurrentTasks tasks one executor runs at once
     * @param heapBytes       the executor's (local mode: the driver's) maximum heap
     * @param source          where the two figures come from, for messages
     */
    record Executors(int concurrentTasks, long heapBytes, String source) {
        private static final Pattern LOCAL = Pattern.compile("local(?:\\[(\\*|\\d+)(?:,\\s*\\d+)?\\])?");
        private static final Pattern LOCAL_CLUSTER = Pattern.compile("local-cluster\\[\\s*(\\d+)\\s*,\\s*(\\d+)\\s*,\\s*(\\d+)\\s*\\]");

        /**
         * @param conf       the driver's Spark configuration
         * @param master     the master URL
         * @param driverHeap this JVM's maximum heap ({@link Runtime#maxMemory()})
         * @param cores      this machine's cores ({@code local[*]})
         * @return the executors of that master: local modes run tasks in the driver's JVM, {@code local-cluster} in
         *         executors of the given cores and MiB, a cluster in executors of {@code spark.executor.memory} and
         *         {@code spark.executor.cores} (1 when unset, as on YARN; set it where executors take more)
         */
        static Executors of(SparkConf conf, String master, long driverHeap, int cores) {
            int taskCpus = Math.max(1, conf.getInt("spark.task.cpus", 1));
            Matcher local = LOCAL.matcher(master);
            if (local.matches()) {
                int threads = local.group(1) == null ? 1 : local.group(1).equals("*") ? cores : Integer.parseInt(local.group(1));
                return new Executors(Math.max(1, threads / taskCpus), driverHeap, "master " + master + ": tasks share the driver"
                        + " JVM's heap (-Xmx; submit/axdse: AXDSE_JAVA_OPTS)");
            }
            Matcher lc = LOCAL_CLUSTER.matcher(master);
            if (lc.matches()) {
                return new Executors(Math.max(1, Integer.parseInt(lc.group(2)) / taskCpus), Long.parseLong(lc.group(3)) << 20,
                        "master " + master + ": executors of " + lc.group(2) + " cores and " + lc.group(3) + " MiB");
            }
            long heap = conf.getSizeAsBytes("spark.executor.memory", "1g");
            int executorCores = conf.getInt("spark.executor.cores", 1);
            return new Executors(Math.max(1, executorCores / taskCpus), heap, "spark.executor.memory="
                    + conf.get("spark.executor.memory", "1g") + ", spark.executor.cores=" + conf.get("spark.executor.cores", "1 (unset)")
                    + ", spark.task.cpus=" + taskCpus);
        }

        /** @return the heap the tasks may fill together */
        long usableBytes() {
            return (long) (Math.max(0, heapBytes - SPARK_RESERVED_BYTES) * USABLE_SHARE);
        }
    }

    /**
     * The estimate for a run's settings.
     *
     * @param requested       {@code axdse.batch.candidates}
     * @param fitted          the largest batch up to {@code requested} whose tasks fit (0: not even one candidate)
     * @param fixedBytes      what a task holds whatever its batch: the activations of a forward batch
     * @param executors       where the tasks run
     * @param network         the model (for the per-candidate part)
     * @param space           its options per layer
     * @param imageBatch      {@code axdse.batch.images}
     */
    record Plan(int requested, int fitted, long fixedBytes, Executors executors, Network network, SearchSpace space,
                int imageBatch) {
        /**
         * @param candidates candidates per task
         * @return the estimated heap of one task
         */
        long taskBytes(int candidates) {
            long bytes = fixedBytes;
            for (ApproxLayer layer : network.layers()) {
                if (space.approximable(layer.index())) {
                    bytes += Math.min(candidates, space.options().get(layer.index()).size()) * kernelBytes(layer, imageBatch);
                }
            }
            return bytes;
        }

        /** @return the estimated heap of the concurrent tasks of one executor with {@code candidates} each */
        long executorBytes(int candidates) {
            return executors.concurrentTasks() * taskBytes(candidates);
        }
    }

    /**
     * @param network    the model
     * @param space      its options per layer
     * @param imageBatch {@code axdse.batch.images}
     * @param requested  {@code axdse.batch.candidates}
     * @param executors  where tasks run
     * @return the plan, with the largest batch up to {@code requested} that fits (0 when one candidate does not)
     */
    static Plan plan(Network network, SearchSpace space, int imageBatch, int requested, Executors executors) {
        Plan p = new Plan(requested, 0, activationBytes(network, imageBatch), executors, network, space, imageBatch);
        int fitted = 0;
        for (int b = requested; b >= 1 && fitted == 0; b--) { // taskBytes grows with b: the first that fits is the largest
            if (p.executorBytes(b) <= executors.usableBytes()) {
                fitted = b;
            }
        }
        return new Plan(requested, fitted, p.fixedBytes(), executors, network, space, imageBatch);
    }

    /**
     * @param plan the estimate
     * @return the batch to run: {@code plan.fitted()}
     * @throws InvalidInputException when not even one candidate per task fits, naming the keys and both figures
     */
    static int candidatesPerTask(Plan plan) {
        if (plan.fitted() >= 1) {
            return plan.fitted();
        }
        Executors e = plan.executors();
        throw new InvalidInputException(String.format(Locale.ROOT, "task memory: one candidate per task (%s=1) with %s=%d"
                        + " needs about %s per task (%s of activations), x %d concurrent tasks = %s, but the heap is %s (%s), of"
                        + " which about %s is usable; lower %s, or give the tasks more heap or fewer cores per executor",
                JobConfig.BATCH_CANDIDATES.name(), JobConfig.BATCH_IMAGES.name(), plan.imageBatch(), mib(plan.taskBytes(1)),
                mib(plan.fixedBytes()), e.concurrentTasks(), mib(plan.executorBytes(1)), mib(e.heapBytes()), e.source(),
                mib(e.usableBytes()), JobConfig.BATCH_IMAGES.name()));
    }

    /** @return a byte count in MiB, for messages */
    static String mib(long bytes) {
        return String.format(Locale.ROOT, "%,d MiB", Math.round(bytes / 1048576.0));
    }

    /**
     * @param layer      an approximable layer
     * @param imageBatch images per forward batch
     * @return the heap its CPU kernel for one multiplier keeps: the product table (or one slice), the quantized input
     *         codes and the accumulator chunk of a convolution; the weight codes, transposed table and code buffers of
     *         a dense layer
     */
    static long kernelBytes(ApproxLayer layer, int imageBatch) {
        Conv2dGeometry g = layer.geometry();
        if (layer.kind() != ApproxLayer.Kind.CONV2D) {
            long rows = (long) imageBatch * layer.rows();
            return 4L * g.inChannels() * g.outChannels() + DENSE_TABLE_BYTES + rows * g.inChannels() + 8 * rows * g.outChannels();
        }
        long table = LutProductTable.cachedBytes(g);
        long stride = LutProductTable.rowStride(table <= LutProductTable.DEFAULT_MAX_CACHED_BYTES ? g.outChannelsPerGroup()
                : Math.min(g.outChannelsPerGroup(), LutProductTable.STREAMING_CHANNEL_BLOCK));
        long codes = (long) imageBatch * g.inChannels() * (g.inHeight() + g.padTop() + g.padBottom())
                * (g.inWidth() + g.padLeft() + g.padRight());
        long perImageSums = 8L * g.outHeight() * g.outWidth() * stride;
        long sums = Math.min(imageBatch * perImageSums, Math.max(perImageSums, CHUNK_BYTES));
        return (table <= LutProductTable.DEFAULT_MAX_CACHED_BYTES ? table : LutProductTable.SLICE_BYTES) + codes + sums;
    }

    /**
     * @param network    the model
     * @param imageBatch images per forward batch
     * @return the activations a task holds: two passes' values (the current one and the previous one's, kept for
     *         prefix reuse), each the input and two tensors of every layer's output size per image, in floats
     */
    static long activationBytes(Network network, int imageBatch) {
        long floats = network.inputSize();
        for (ApproxLayer layer : network.layers()) {
            long size = 1;
            for (int d : layer.outputShape()) {
                size *= d;
            }
            floats += 2 * size;
        }
        return 2 * 4L * imageBatch * floats;
    }
}
