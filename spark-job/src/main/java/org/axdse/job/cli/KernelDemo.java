package org.axdse.job.cli;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import org.apache.spark.api.java.JavaSparkContext;
import org.axdse.kernel.conv.Conv2dGeometry;
import org.axdse.kernel.conv.CpuLutConv2d;
import org.axdse.kernel.lut.ErrorMetrics;
import org.axdse.kernel.lut.MultiplierLibrary;
import org.axdse.kernel.lut.MultiplierTable;
import org.axdse.kernel.lut.Signedness;
import org.axdse.kernel.quant.QuantParams;
import org.axdse.kernel.quant.QuantScheme;
import org.axdse.kernel.quant.QuantizedWeights;

/**
 * The kernel demo: spreads a directory of unsigned multiplier tables over Spark tasks; each task runs
 * the CPU LUT convolution on a synthetic LeNet-5 second-conv layer (6x13x13 -> 16, 3x3) with seeded
 * ReLU-like activations and Gaussian weights, and reports the layer's output error against the exact
 * 8-bit multiplier and the kernel's throughput. No model or data set is involved ({@code axdse eval} and
 * the search job evaluate real networks); the figures show how each table's error metrics translate to a
 * conv layer, and that tables, kernels and Spark work together.
 */
public final class KernelDemo {
    /** Images in the synthetic batch. */
    static final int BATCH = 128;
    /** The demo layer: LeNet-5's second convolution. */
    static final Conv2dGeometry LAYER = Conv2dGeometry.builder(6, 13, 13, 16, 3, 3).build();

    private KernelDemo() {
    }

    /**
     * One table's result.
     *
     * @param name              table name
     * @param mae               mean absolute error of the table
     * @param wce               worst-case error
     * @param epPercent         error probability, %
     * @param relativePower     power relative to the exact multiplier of the library, or NaN if unknown
     * @param outputRelativeRms RMS(layer output - exact 8-bit output) / RMS(exact 8-bit output)
     * @param gmacsPerSecond    LUT multiply-accumulates per second in the task, in billions (indicative only:
     *                          a short loop while other tasks share the cores; submit/bench-kernels measures)
     */
    public record Row(String name, double mae, long wce, double epPercent, double relativePower,
                      double outputRelativeRms, double gmacsPerSecond) implements Serializable {
    }

    /**
     * The demo's multipliers: the library's unsigned tables (the demo layer is unsigned-affine), preceded
     * by the built-in exact multiplier when the library has no unsigned exact table.
     *
     * @param library a library
     * @return the tables
     */
    public static List<MultiplierTable> unsignedTables(MultiplierLibrary library) {
        List<MultiplierTable> tables = new ArrayList<>();
        for (MultiplierLibrary.Entry e : library.entries()) {
            if (e.table().signedness() == Signedness.UNSIGNED) {
                tables.add(e.table());
            }
        }
        if (library.exact(Signedness.UNSIGNED).isEmpty()) {
            tables.add(0, MultiplierTable.exact(Signedness.UNSIGNED));
        }
        return tables;
    }

    /**
     * Power of each multiplier relative to the library's exact unsigned one (ALWANN's energy ratio).
     *
     * @param library a library
     * @return relative power by name; empty when the library has no exact table with a known power
     */
    public static Map<String, Double> relativePower(MultiplierLibrary library) {
        Map<String, Double> relative = new HashMap<>();
        double exact = library.exact(Signedness.UNSIGNED).map(e -> e.info().power()).orElse(Double.NaN);
        if (exact > 0) {
            for (MultiplierLibrary.Entry e : library.entries()) {
                relative.put(e.name(), e.info().power() / exact);
            }
        }
        return relative;
    }

    /**
     * Evaluates every table on the demo layer, one Spark task per table.
     *
     * @param jsc    a Spark context
     * @param tables   the tables
     * @param relative power relative to the exact multiplier by table name (may be empty)
     * @param seed     data seed
     * @return one row per table, in the order given
     */
    public static List<Row> run(JavaSparkContext jsc, List<MultiplierTable> tables, Map<String, Double> relative, long seed) {
        return jsc.parallelize(tables, tables.size())
                .map(t -> evaluate(t, relative.getOrDefault(t.name(), Double.NaN), seed))
                .collect();
    }

    /**
     * Evaluates one table on the demo layer (runs on an executor).
     *
     * @param table         the table
     * @param relativePower its relative power or NaN
     * @param seed          data seed
     * @return the row
     */
    public static Row evaluate(MultiplierTable table, double relativePower, long seed) {
        Conv2dGeometry g = LAYER;
        Random r = new Random(seed);
        float[] input = new float[BATCH * g.inputSize()];
        for (int i = 0; i < input.length; i++) {
            input[i] = (float) Math.max(0, r.nextGaussian());
        }
        float[] weights = new float[g.weightSize()];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = (float) (0.2 * r.nextGaussian());
        }
        QuantParams act = QuantParams.fromValues(QuantScheme.UNSIGNED_AFFINE, input, 0, input.length);
        QuantizedWeights w = QuantizedWeights.quantize(QuantScheme.UNSIGNED_AFFINE, weights, g.outChannels(), false);

        float[] exact = new float[BATCH * g.outputSize()];
        CpuLutConv2d.create(g, MultiplierTable.exact(Signedness.UNSIGNED), w, act, null).forward(input, BATCH, exact);
        CpuLutConv2d kernel = CpuLutConv2d.create(g, table, w, act, null);
        float[] out = new float[exact.length];
        kernel.forward(input, BATCH, out); // warm-up
        int reps = 20;
        long t0 = System.nanoTime();
        for (int i = 0; i < reps; i++) {
            kernel.forward(input, BATCH, out);
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        double diff = 0;
        double ref = 0;
        for (int i = 0; i < out.length; i++) {
            diff += (double) (out[i] - exact[i]) * (out[i] - exact[i]);
            ref += (double) exact[i] * exact[i];
        }
        ErrorMetrics m = ErrorMetrics.of(table);
        return new Row(table.name(), m.mae(), m.wce(), m.errorProbabilityPercent(), relativePower,
                Math.sqrt(diff / ref), reps * BATCH * g.macsPerImage() / seconds / 1e9);
    }

    /**
     * @param rows demo rows
     * @return them as an aligned text table
     */
    public static String format(List<Row> rows) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT, "%-20s %10s %7s %8s %10s %12s %10s%n",
                "multiplier", "MAE", "WCE", "EP %", "rel.power", "layer error", "G MAC/s"));
        for (Row r : rows) {
            sb.append(String.format(Locale.ROOT, "%-20s %10.2f %7d %8.2f %10s %11.4f%% %10.2f%n", r.name(), r.mae(), r.wce(),
                    r.epPercent(), Double.isNaN(r.relativePower()) ? "n/a" : String.format(Locale.ROOT, "%.3f", r.relativePower()),
                    100 * r.outputRelativeRms(), r.gmacsPerSecond()));
        }
        return sb.toString();
    }
}
