package org.axdse.job.cli;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.axdse.job.output.Failures;
import org.axdse.job.output.OutputRoot;
import org.axdse.job.output.Tables;
import org.axdse.kernel.AxdseException;
import org.axdse.kernel.io.Csv;

/**
 * {@code axdse sql [--out ROOT] [--format table|csv|json] "SELECT ..."}: Spark SQL over a run output root, with
 * each existing table ({@code runs, layers, multipliers, evaluations, pareto, sensitivity}) registered as a view of the
 * same name, for users without Zeppelin.
 */
final class SqlCommand {
    static final List<String> TABLES = List.of(Tables.RUNS, Tables.LAYERS, Tables.MULTIPLIERS, Tables.EVALUATIONS, Tables.PARETO,
            Tables.SENSITIVITY);

    private final PrintStream out;

    SqlCommand(PrintStream out) {
        this.out = out;
    }

    int run(List<String> args) {
        Options o = new Options("sql", args, Set.of("--out", "--format", "--master"), Set.of());
        String query = o.positional("QUERY").get(0);
        String format = o.oneOf("--format", o.get("--format", "table"), "table", "csv", "json");
        String root = o.get("--out", AxdseCli.HOME.resolve("axdse-out").toString());
        boolean shared = SparkSession.getDefaultSession().isDefined(); // e.g. inside tests: not ours to stop
        java.nio.file.Path warehouse = shared ? null : ReadOnlySql.scratchWarehouse();
        SparkSession.Builder builder = SparkSession.builder().appName("axdse sql").master(o.get("--master", "local[*]"))
                .config("spark.ui.enabled", "false");
        if (warehouse != null) { // no spark-warehouse/ (nor a Hive metastore_db/) left in the working directory
            builder.config("spark.sql.warehouse.dir", warehouse.toUri().toString())
                    .config("spark.sql.catalogImplementation", "in-memory");
        }
        SparkSession context;
        try {
            context = Launch.session(builder, o.get("--master", "local[*]"));
        } catch (AxdseException e) {
            ReadOnlySql.delete(warehouse);
            throw e;
        }
        try {
            // A session of its own (views, functions, settings), sharing the context: nothing leaks into a caller's.
            SparkSession spark = context.newSession();
            List<String> registered = register(spark, root);
            if (registered.isEmpty()) {
                throw new AxdseException("sql: no AxDSE tables under " + root + " (expected " + String.join(", ", TABLES) + ")");
            }
            ReadOnlySql.checkQuery(spark, query);
            try {
                print(spark.sql(query), format);
            } catch (Exception e) { // analysis, parse and runtime errors (raise_error, ANSI arithmetic): the query's fault
                throw new AxdseException("sql: " + Failures.firstLine(e) + " (views: " + String.join(", ", registered) + ")", e);
            }
        } finally {
            if (!shared) {
                context.stop();
                ReadOnlySql.delete(warehouse);
            }
        }
        return 0;
    }

    /** Registers every table present under the root as a view; returns their names. */
    static List<String> register(SparkSession spark, String root) {
        List<String> names = new ArrayList<>();
        for (String t : TABLES) {
            String path = root + "/" + t;
            if (new java.io.File(path).isDirectory() || path.contains("://")) {
                try {
                    // Runs written by different versions may have different columns: merge their schemas.
                    spark.read().option("basePath", path).option("mergeSchema", "true").parquet(path).createOrReplaceTempView(t);
                    names.add(t);
                } catch (Exception e) { // Spark's SparkException is checked, thrown undeclared
                    if (!path.contains("://")) { // a truncated or corrupt file: name it
                        String bad = OutputRoot.unreadableFile(spark, path);
                        throw new AxdseException("sql: cannot read table " + t + " (" + (bad != null ? bad : path) + ": "
                                + Failures.firstLine(e) + ")", e);
                    }
                }
            }
        }
        return names;
    }

    private void print(Dataset<Row> result, String format) {
        String[] columns = result.columns();
        List<Row> rows = result.collectAsList();
        if (format.equals("csv")) {
            out.println(Csv.formatLine(List.of(columns)));
            for (Row r : rows) {
                List<String> cells = new ArrayList<>();
                for (int i = 0; i < columns.length; i++) {
                    cells.add(cell(r.get(i)));
                }
                out.println(Csv.formatLine(cells));
            }
        } else if (format.equals("json")) {
            for (Row r : rows) {
                Map<String, Object> m = new LinkedHashMap<>();
                for (int i = 0; i < columns.length; i++) {
                    Object v = r.get(i);
                    m.put(columns[i], v instanceof scala.collection.Seq<?> s ? scala.jdk.javaapi.CollectionConverters.asJava(s) : v);
                }
                out.println(Json.object(m));
            }
        } else {
            int[] width = new int[columns.length];
            List<String[]> text = new ArrayList<>();
            for (int i = 0; i < columns.length; i++) {
                width[i] = columns[i].length();
            }
            for (Row r : rows) {
                String[] cells = new String[columns.length];
                for (int i = 0; i < columns.length; i++) {
                    cells[i] = cell(r.get(i));
                    width[i] = Math.min(60, Math.max(width[i], cells[i].length()));
                }
                text.add(cells);
            }
            StringBuilder header = new StringBuilder();
            for (int i = 0; i < columns.length; i++) {
                header.append(String.format(Locale.ROOT, "%-" + width[i] + "s ", columns[i]));
            }
            out.println(header.toString().stripTrailing());
            for (String[] cells : text) {
                StringBuilder line = new StringBuilder();
                for (int i = 0; i < cells.length; i++) {
                    String c = cells[i].length() > 60 ? cells[i].substring(0, 57) + "..." : cells[i];
                    line.append(String.format(Locale.ROOT, "%-" + width[i] + "s ", c));
                }
                out.println(line.toString().stripTrailing());
            }
            out.printf(Locale.ROOT, "(%d row%s)%n", rows.size(), rows.size() == 1 ? "" : "s");
        }
    }

    private static String cell(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof scala.collection.Seq<?> s) {
            return String.join(",", scala.jdk.javaapi.CollectionConverters.asJava(s).stream().map(String::valueOf).toList());
        }
        if (v instanceof Double d) {
            return String.format(Locale.ROOT, "%.6g", d);
        }
        return v.toString();
    }
}
