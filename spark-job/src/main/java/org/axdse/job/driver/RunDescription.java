package org.axdse.job.driver;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.axdse.job.config.JobConfig;
import org.axdse.job.output.LayerRecord;
import org.axdse.job.output.MultiplierRecord;
import org.axdse.kernel.lut.ErrorMetrics;
import org.axdse.kernel.lut.MultiplierLibrary;
import org.axdse.kernel.lut.Signedness;
import org.axdse.kernel.model.ApproxLayer;
import org.axdse.kernel.model.ForwardPass;
import org.axdse.kernel.model.LayerQuantization;
import org.axdse.kernel.model.LayerRanges;

/** The run's {@code layers} and {@code multipliers} tables: what was searched, which do not change during a run. */
final class RunDescription {
    private RunDescription() {
    }

    /**
     * @param run    the run
     * @param ranges the calibrated ranges
     * @return one record per approximable layer, quantized with the baseline's scheme
     */
    static List<LayerRecord> layers(ResolvedRun run, LayerRanges ranges) {
        List<LayerRecord> records = new ArrayList<>();
        ForwardPass fp = new ForwardPass(run.network(), run.quant(), ranges);
        var scheme = run.config().get(JobConfig.SIGNEDNESS).scheme();
        for (ApproxLayer l : run.network().layers()) {
            LayerQuantization q = LayerQuantization.of(fp, l, ranges, scheme);
            records.add(new LayerRecord(run.runId(), l.index(), l.name(), l.op(), l.opType(), l.macsPerImage(),
                    Arrays.stream(l.inputShape()).boxed().toList(), Arrays.stream(l.outputShape()).boxed().toList(), true,
                    q.inputMin(), q.inputMax(), q.weightMin(), q.weightMax(), q.schemeName(), q.input().scale(),
                    q.input().zeroPoint(), q.weights().scale(0), q.weights().zeroPoint(0)));
        }
        return records;
    }

    /**
     * @param run the run
     * @return one record per library table (AxTune's included), with its error metrics
     */
    static List<MultiplierRecord> multipliers(ResolvedRun run) {
        MultiplierLibrary library = run.library();
        List<MultiplierRecord> records = new ArrayList<>();
        for (MultiplierLibrary.Entry e : library.entries()) {
            ErrorMetrics m = ErrorMetrics.of(e.table());
            records.add(new MultiplierRecord(run.runId(), e.name(), e.table().signedness() == Signedness.SIGNED, e.info().power(),
                    e.info().area(), e.info().delay(), library.powerUnit(), m.mae(), m.wce(), m.mre(), m.errorProbability(),
                    m.mse(), m.meanError(), e.info().family(), e.info().parameters(), e.info().source(),
                    e.table().contentSha256()));
        }
        return records;
    }
}
