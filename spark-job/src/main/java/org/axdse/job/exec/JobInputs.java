package org.axdse.job.exec;

import java.io.Serializable;
import java.util.List;
import java.util.Map;

import org.axdse.job.search.Candidate;
import org.axdse.kernel.lut.MultiplierTable;
import org.axdse.kernel.model.LayerRanges;
import org.axdse.kernel.model.QuantConfig;

/**
 * What every task needs, broadcast once per Spark job: the model's ONNX bytes, the tables the candidates
 * use, the calibrated ranges, the quantization, where the data is, and the candidate batches.
 *
 * @param modelBytes       the ONNX model
 * @param modelSource      its name, for messages
 * @param modelSha256      its hash (executor cache key)
 * @param tables           tables by name
 * @param ranges           calibrated ranges (null for per-batch ranges)
 * @param quant            quantization
 * @param data             data set spec (fashion-mnist or a directory / Hadoop path)
 * @param imageBatch       images per forward-pass batch
 * @param candidateBatches candidate batches, each sorted by names
 * @param hadoopConf       the driver's Hadoop configuration (spark.hadoop.* settings, s3a keys), for executor reads
 */
public record JobInputs(byte[] modelBytes, String modelSource, String modelSha256, Map<String, MultiplierTable> tables,
                        LayerRanges ranges, QuantConfig quant, String data, int imageBatch,
                        List<List<Candidate>> candidateBatches, Map<String, String> hadoopConf) implements Serializable {
    /** @return the driver's Hadoop configuration rebuilt on this JVM */
    public org.apache.hadoop.conf.Configuration hadoopConfiguration() {
        org.apache.hadoop.conf.Configuration c = new org.apache.hadoop.conf.Configuration(false);
        hadoopConf.forEach(c::set);
        return c;
    }
}
