package org.axdse.job.driver;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.catalyst.expressions.GenericRowWithSchema;
import org.axdse.job.output.Tables;
import org.axdse.job.search.Candidate;
import org.axdse.kernel.model.Assignment;

/** Builds a run's {@code evaluations} rows: accuracy, drop against the baseline, energy and the Pareto front. */
final class EvaluationTable {
    /** Energy figures of a candidate. */
    record EnergyFigures(double relative, double powerPerMac) {
    }

    private EvaluationTable() {
    }

    /**
     * @param runId      the run
     * @param candidates the run's evaluated candidates, in output order
     * @param totals     their totals by id (candidates without totals are left out)
     * @param baselineId the exact 8-bit baseline (for accuracy_drop)
     * @param energy     energy figures by candidate id
     * @return the rows, {@link Tables#EVALUATIONS_SCHEMA}
     */
    static List<Row> rows(String runId, Collection<Candidate> candidates, Map<String, TaskRunner.Totals> totals,
                          String baselineId, Map<String, EnergyFigures> energy) {
        List<Candidate> present = candidates.stream().filter(c -> totals.containsKey(c.id())).toList();
        TaskRunner.Totals base = totals.get(baselineId);
        double baseAccuracy = base == null ? Double.NaN : base.accuracy();
        Set<String> front = front(present, totals, energy);
        List<Row> rows = new ArrayList<>();
        for (Candidate c : present) {
            TaskRunner.Totals t = totals.get(c.id());
            EnergyFigures e = energy.get(c.id());
            boolean uniform = c.names().stream().filter(n -> !n.equals(Assignment.EXACT_FP32)).distinct().count() <= 1;
            rows.add(new GenericRowWithSchema(new Object[] {runId, c.id(), c.generation(),
                    scala.jdk.javaapi.CollectionConverters.asScala(c.names()).toSeq(), t.correct(), t.total(), t.accuracy(),
                    baseAccuracy - t.accuracy(), nan(e.relative()), nan(e.powerPerMac()), front.contains(c.id()), uniform,
                    t.backend(), t.executors(), t.seconds()}, Tables.EVALUATIONS_SCHEMA));
        }
        return rows;
    }

    /**
     * The accuracy (max) / energy (min) Pareto front. Candidates with unknown energy are left off; candidates
     * with equal energy and accuracy are all on it (neither dominates the other).
     */
    static Set<String> front(List<Candidate> candidates, Map<String, TaskRunner.Totals> totals, Map<String, EnergyFigures> energy) {
        record P(String id, double energy, double accuracy) {
        }
        List<P> sorted = new ArrayList<>();
        for (Candidate c : candidates) {
            double e = energy.get(c.id()).relative();
            if (!Double.isNaN(e)) {
                sorted.add(new P(c.id(), e, totals.get(c.id()).accuracy()));
            }
        }
        sorted.sort(Comparator.comparingDouble(P::energy).thenComparing(Comparator.comparingDouble(P::accuracy).reversed()));
        Set<String> front = new HashSet<>();
        double best = Double.NEGATIVE_INFINITY;
        P last = null;
        for (P p : sorted) {
            boolean tie = last != null && p.energy() == last.energy() && p.accuracy() == last.accuracy();
            if (p.accuracy() > best || tie) {
                front.add(p.id());
                best = Math.max(best, p.accuracy());
                last = p;
            }
        }
        return front;
    }

    static Double nan(double v) {
        return Double.isNaN(v) ? null : v;
    }
}
