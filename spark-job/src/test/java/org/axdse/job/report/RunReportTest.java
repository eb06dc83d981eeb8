package org.axdse.job.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.axdse.job.SmallRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The run report is self-contained and shows exactly what the Parquet tables hold. */
class RunReportTest {
    @Test
    void reportMatchesTheTables(@TempDir Path out) throws Exception {
        assumeTrue(SmallRun.dataPresent(), "dataset-fashion-mnist not installed");
        SparkSession spark = SmallRun.spark("report-test");
        try {
            SmallRun.run(spark, out, "rep", "axdse.strategy=random", "axdse.strategy.random.samples=8",
                    "axdse.multipliers=mul8u_exact,mul8u_trunc_k6c,mul8u_drum_k4,mul8u_perf_s0n1");
            String html = Files.readString(out.resolve("reports/rep.html"));
            assertEquals(html, Files.readString(out.resolve("report.html")), "report.html is the latest run's");
            assertFalse(html.contains("<script"), "no scripts");
            assertEquals(List.of("http://www.w3.org/2000/svg"), Pattern.compile("https?://[^\"']+").matcher(html).results()
                    .map(m -> m.group()).distinct().toList(), "nothing fetched from anywhere");

            Map<String, double[]> plotted = new HashMap<>();
            Set<String> front = new HashSet<>();
            Set<String> uniform = new HashSet<>();
            Matcher m = Pattern.compile("class=\"point( front)?( uniform)?\" data-candidate=\"(c[0-9a-f]+)\" data-energy=\"([^\"]+)\""
                    + " data-accuracy=\"([^\"]+)\"").matcher(html);
            while (m.find()) {
                plotted.put(m.group(3), new double[] {Double.parseDouble(m.group(4)), Double.parseDouble(m.group(5))});
                if (m.group(1) != null) {
                    front.add(m.group(3));
                }
                if (m.group(2) != null) {
                    uniform.add(m.group(3));
                }
            }
            List<Row> evaluations = spark.read().parquet(out.resolve("evaluations/run_id=rep").toString()).collectAsList();
            assertEquals(evaluations.size(), plotted.size(), "every evaluation is plotted");
            for (Row r : evaluations) {
                double[] v = plotted.get(r.<String>getAs("candidate_id"));
                assertEquals(r.<Double>getAs("relative_energy"), v[0]);
                assertEquals(r.<Double>getAs("accuracy"), v[1]);
                assertEquals(r.<Boolean>getAs("on_pareto_front"), front.contains(r.<String>getAs("candidate_id")));
                assertEquals(r.<Boolean>getAs("is_uniform"), uniform.contains(r.<String>getAs("candidate_id")));
            }
            Set<String> paretoIds = new HashSet<>();
            for (Row r : spark.read().parquet(out.resolve("pareto/run_id=rep").toString()).collectAsList()) {
                paretoIds.add(r.getAs("candidate_id"));
            }
            Set<String> tableIds = new HashSet<>();
            Pattern.compile("<tr data-candidate=\"(c[0-9a-f]+)\">").matcher(html).results().forEach(x -> tableIds.add(x.group(1)));
            assertEquals(paretoIds, tableIds, "the front table lists the pareto table");
            assertTrue(html.contains("<th>conv_0</th>") && html.contains("<th>gemm_8</th>"), "one column per layer");
        } finally {
            spark.stop();
        }
    }
}
