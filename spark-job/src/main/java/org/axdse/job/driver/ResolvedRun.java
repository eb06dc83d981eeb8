package org.axdse.job.driver;

import java.sql.Timestamp;

import org.axdse.job.config.JobConfig;
import org.axdse.job.search.Candidate;
import org.axdse.job.search.SearchSpace;
import org.axdse.kernel.data.ImageSet;
import org.axdse.kernel.lut.MultiplierLibrary;
import org.axdse.kernel.model.Assignment;
import org.axdse.kernel.model.Network;
import org.axdse.kernel.model.QuantConfig;

/**
 * Everything a search run needs, loaded and checked once before any Spark job ({@link RunResolver}): the typed
 * settings, the network and its bytes, the library (with AxTune's tables when asked), the search space, the
 * exact 8-bit baseline, the data and the fingerprint that a resumed run must match.
 *
 * @param config      the validated settings
 * @param runId       the run id
 * @param started     when this invocation started
 * @param network     the imported model
 * @param modelBytes  the ONNX file (sent to executors)
 * @param modelSource where it came from ({@code bundled:...} or a path)
 * @param library     the multiplier library, AxTune-d tables included
 * @param space       the multipliers each layer may take
 * @param baseline    the exact 8-bit baseline (the library's exact table on every approximable layer)
 * @param dataDir     the data set directory
 * @param images      test images evaluated per candidate
 * @param calibration the training images static ranges and the error model are calibrated on
 * @param quant       range mode and weight granularity
 * @param outputRoot  the output root (a local path or a Hadoop URI)
 * @param listFile    the list strategy's file (resolved like the other paths; empty when unset)
 * @param validationImages test images after the first {@code images} that validate the front (0: no validation)
 * @param fingerprint the settings that change results
 */
public record ResolvedRun(JobConfig config, String runId, Timestamp started, Network network, byte[] modelBytes,
                          String modelSource, MultiplierLibrary library, SearchSpace space, Candidate baseline, String dataDir,
                          int images, ImageSet calibration, QuantConfig quant, String outputRoot, String listFile, int validationImages,
                          String fingerprint) {
    /**
     * The settings that change results, in a stable text form: a resumed run must have the same ones.
     *
     * @param config  the settings
     * @param network the model
     * @param library the library
     * @param dataDir the data set
     * @param dataSha256 the content hash of the images the run reads ({@link ImageDigest})
     * @param images  test images
     * @return the fingerprint: {@code key=value} pairs separated by {@code ;}
     */
    static String fingerprint(JobConfig config, Network network, MultiplierLibrary library, String dataDir, String dataSha256,
                              int images) {
        QuantConfig.RangeMode ranges = config.get(JobConfig.RANGES);
        return "model=" + network.sha256() + ";library=" + library.version() + ";data=" + dataDir + ";data-sha256=" + dataSha256
                + ";images=" + images
                + ";calibration=" + config.get(JobConfig.CALIBRATION_IMAGES) + ";ranges=" + JobConfig.spelling(ranges)
                + (ranges == QuantConfig.RangeMode.PER_BATCH ? ";batch=" + config.get(JobConfig.BATCH_IMAGES) : "")
                + ";per-channel=" + config.get(JobConfig.PER_CHANNEL) + ";signedness="
                + config.get(JobConfig.SIGNEDNESS).spelling()
                // Racing changes what is stored (partial evaluations) and the shards (per-batch ranges see other batches).
                + (config.get(JobConfig.RACING) ? ";racing=" + config.get(JobConfig.RACING_FIRST_IMAGES) + "/"
                + config.get(JobConfig.SHARD_IMAGES) + "@" + config.get(JobConfig.RACING_CONFIDENCE) + "/"
                + config.get(JobConfig.RACING_CORRECTION).spelling() : "")
                // NSGA-II replays its generations from the stored history; another initial population is another search.
                + (config.get(JobConfig.STRATEGY) == org.axdse.job.config.StrategyKind.NSGA2 ? ";nsga2-seed-uniform="
                + JobConfig.NSGA2_SEED_UNIFORM.format(config.get(JobConfig.NSGA2_SEED_UNIFORM)) : "");
    }

    /**
     * @param multiplier a multiplier name of the library, or {@code exact-fp32}
     * @return the SHA-256 of its table's content, empty for {@code exact-fp32}
     */
    public String tableSha256(String multiplier) {
        return multiplier.equals(Assignment.EXACT_FP32) ? "" : library.get(multiplier).table().contentSha256();
    }

    /** @return images per forward-pass batch */
    public int imageBatch() {
        return config.get(JobConfig.BATCH_IMAGES);
    }
}
