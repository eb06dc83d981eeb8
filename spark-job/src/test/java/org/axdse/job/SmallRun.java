package org.axdse.job;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import org.apache.spark.sql.SparkSession;
import org.axdse.job.config.JobConfig;
import org.axdse.job.driver.SearchJob;
import org.axdse.kernel.data.DataSets;

/** Small real search runs for the tests of what reads the output (SQL, notebooks, report). */
public final class SmallRun {
    /** The project root, from spark-job's working directory. */
    public static final Path HOME = Path.of("..").toAbsolutePath().normalize();

    private SmallRun() {
    }

    /** @return whether Debian's Fashion-MNIST is installed */
    public static boolean dataPresent() {
        return Files.isDirectory(Path.of(DataSets.FASHION_MNIST));
    }

    /** @return a local[2] session without UI */
    public static SparkSession spark(String app) {
        return SparkSession.builder().master("local[2]").appName(app).config("spark.ui.enabled", "false").getOrCreate();
    }

    /**
     * Runs the bundled LeNet-5 on 100 test images (64 calibration images) into {@code out}.
     *
     * @param conf more {@code axdse.key=value} settings
     * @return the summary
     */
    public static SearchJob.Summary run(SparkSession spark, Path out, String runId, String... conf) {
        List<String> c = new ArrayList<>(List.of("axdse.output=" + out, "axdse.run-id=" + runId, "axdse.images=100",
                "axdse.calibration.images=64"));
        c.addAll(List.of(conf));
        return new SearchJob(spark, JobConfig.load(null, c), false, HOME).run();
    }
}
