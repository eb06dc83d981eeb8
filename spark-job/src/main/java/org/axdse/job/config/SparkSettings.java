package org.axdse.job.config;

import java.util.List;

import org.apache.spark.SparkConf;

/**
 * AxDSE's {@code spark.axdse.*} settings: the ones that belong to the cluster rather than to a job (they are
 * set with spark-submit or in {@code spark-defaults.conf}, read on the driver and on executors). Like the job
 * keys of {@link JobConfig}, each has a default, a validator and a documentation line in conf/README.md, and
 * this class is the only place they are read.
 */
public final class SparkSettings {
    /** Tasks of one executor that may use one GPU at a time; 0 runs every task on the CPU. */
    public static final ConfigKey<Integer> GPU_TASKS_PER_DEVICE = new ConfigKey<>("spark.axdse.gpu.tasks-per-device", "1",
            "tasks of one executor that may use a GPU at the same time; 0 runs every task on the CPU",
            ConfigKey.atLeast(0, "a non-negative integer (0 = CPU only)"));

    /** Every {@code spark.axdse.*} setting. */
    public static final List<ConfigKey<?>> KEYS = List.of(GPU_TASKS_PER_DEVICE);

    private SparkSettings() {
    }

    /**
     * @param conf a Spark configuration (the driver's or an executor's), or null outside Spark
     * @return {@link #GPU_TASKS_PER_DEVICE}, its default when unset
     * @throws org.axdse.kernel.InvalidInputException naming the setting when it is not a non-negative integer
     */
    public static int gpuTasksPerDevice(SparkConf conf) {
        return get(conf, GPU_TASKS_PER_DEVICE);
    }

    /**
     * Checks every setting, so that a bad value fails on the driver before any Spark job.
     *
     * @param conf the driver's Spark configuration
     */
    public static void validate(SparkConf conf) {
        KEYS.forEach(k -> get(conf, k));
    }

    private static <T> T get(SparkConf conf, ConfigKey<T> key) {
        String text = conf == null ? null : conf.get(key.name(), null);
        return key.parse(text == null ? key.defaultValue() : text);
    }
}
