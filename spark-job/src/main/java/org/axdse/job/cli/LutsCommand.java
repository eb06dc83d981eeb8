package org.axdse.job.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.axdse.kernel.AxdseException;
import org.axdse.kernel.io.Csv;
import org.axdse.kernel.lut.AxTune;
import org.axdse.kernel.lut.ErrorMetrics;
import org.axdse.kernel.lut.MultiplierInfo;
import org.axdse.kernel.lut.MultiplierLibraries;
import org.axdse.kernel.lut.MultiplierLibrary;
import org.axdse.kernel.lut.MultiplierTable;
import org.axdse.kernel.lut.Signedness;
import org.axdse.kernel.lut.TableConversions;
import org.axdse.kernel.lut.gen.GeneratedLibrary;

/**
 * {@code axdse luts}: inspect, generate and convert multiplier libraries.
 * <pre>
 *   luts list     [--library DIR] [--format table|csv|json]
 *   luts show     NAME [--library DIR]
 *   luts generate [--out DIR]
 *   luts convert  IN OUT [--signed | --unsigned]
 *   luts plot     NAME --out FILE.png [--library DIR]
 *   luts tune     NAME --out FILE [--library DIR]
 * </pre>
 * {@code --library} defaults to the shipped {@code luts/}.
 */
final class LutsCommand {
    static final String USAGE = """
            usage: axdse luts list     [--library DIR] [--format table|csv|json]
                   axdse luts show     NAME [--library DIR]          metrics and an error histogram
                   axdse luts generate [--out DIR]                   regenerate the shipped library (default luts/)
                   axdse luts convert  IN OUT [--signed|--unsigned]  between .bin, .npy and .csv (by extension)
                   axdse luts plot     NAME --out FILE.png [--library DIR]   error heat map, activation x weight
                   axdse luts tune     NAME --out FILE [--library DIR]       ALWANN AxTune weight remapping""";

    private final PrintStream out;

    LutsCommand(PrintStream out) {
        this.out = out;
    }

    int run(List<String> args) {
        if (args.isEmpty()) {
            throw new AxdseException("luts: missing subcommand\n" + USAGE);
        }
        List<String> rest = args.subList(1, args.size());
        switch (args.get(0)) {
            case "list" -> list(new Options("luts list", rest, Set.of("--library", "--format"), Set.of()));
            case "show" -> show(new Options("luts show", rest, Set.of("--library"), Set.of()));
            case "generate" -> generate(new Options("luts generate", rest, Set.of("--out"), Set.of()));
            case "convert" -> convert(new Options("luts convert", rest, Set.of(), Set.of("--signed", "--unsigned")));
            case "plot" -> plot(new Options("luts plot", rest, Set.of("--library", "--out"), Set.of()));
            case "tune" -> tune(new Options("luts tune", rest, Set.of("--library", "--out"), Set.of()));
            default -> throw new AxdseException("luts: unknown subcommand '" + args.get(0) + "'\n" + USAGE);
        }
        return 0;
    }

    private static MultiplierLibrary library(Options o) {
        return MultiplierLibraries.load(Path.of(o.get("--library", AxdseCli.HOME.resolve("luts").toString())));
    }

    private void list(Options o) {
        o.positional();
        String format = o.oneOf("--format", o.get("--format", "table"), "table", "csv", "json");
        MultiplierLibrary lib = library(o);
        List<String> columns = List.of("name", "signed", "power", "mae", "wce", "ep_percent", "mre_percent");
        if (format.equals("table")) {
            out.printf(Locale.ROOT, "library %s, version %s, %d multipliers, power unit %s%n", lib.location(), lib.version(),
                    lib.size(), lib.powerUnit().isEmpty() ? "(unstated)" : lib.powerUnit());
            out.printf(Locale.ROOT, "%-22s %-8s %10s %10s %7s %8s %8s%n", "name", "signed", "power", "MAE", "WCE", "EP %", "MRE %");
        } else if (format.equals("csv")) {
            out.println(String.join(",", columns));
        }
        for (MultiplierLibrary.Entry e : lib.entries()) {
            ErrorMetrics m = ErrorMetrics.of(e.table());
            MultiplierInfo i = e.info();
            boolean signed = i.signedness() == Signedness.SIGNED;
            switch (format) {
                case "table" -> out.printf(Locale.ROOT, "%-22s %-8s %10s %10.2f %7d %8.2f %8.2f%n", i.name(), signed,
                        Double.isNaN(i.power()) ? "n/a" : String.format(Locale.ROOT, "%.4f", i.power()), m.mae(), m.wce(),
                        m.errorProbabilityPercent(), m.mrePercent());
                case "csv" -> out.println(Csv.formatLine(List.of(i.name(), String.valueOf(signed),
                        Double.isNaN(i.power()) ? "" : String.valueOf(i.power()), fmt(m.mae()), String.valueOf(m.wce()),
                        fmt(m.errorProbabilityPercent()), fmt(m.mrePercent()))));
                default -> {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("name", i.name());
                    row.put("signed", signed);
                    row.put("power", i.power());
                    row.put("mae", round2(m.mae()));
                    row.put("wce", m.wce());
                    row.put("ep_percent", round2(m.errorProbabilityPercent()));
                    row.put("mre_percent", round2(m.mrePercent()));
                    out.println(Json.object(row));
                }
            }
        }
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.2f", v);
    }

    private static double round2(double v) {
        return Math.round(v * 100) / 100.0;
    }

    private void show(Options o) {
        String name = o.positional("NAME").get(0);
        MultiplierLibrary lib = library(o);
        MultiplierLibrary.Entry e = lib.get(name);
        MultiplierInfo i = e.info();
        MultiplierTable t = e.table();
        ErrorMetrics m = ErrorMetrics.of(t);
        out.printf(Locale.ROOT, "%s (%s) from %s, library version %s%n", name, i.signedness().name().toLowerCase(Locale.ROOT),
                lib.location(), lib.version());
        out.printf(Locale.ROOT, "  file %s, sha256 %s%n", i.file(), t.contentSha256());
        if (!i.family().isEmpty() || !i.source().isEmpty()) {
            out.printf(Locale.ROOT, "  family %s %s, source %s%n", i.family(), i.parameters(), i.source());
        }
        out.printf(Locale.ROOT, "  power %s, area %s, delay %s%n", figure(i.power(), lib.powerUnit()),
                figure(i.area(), lib.areaUnit()), figure(i.delay(), lib.delayUnit()));
        out.printf(Locale.ROOT, "  MAE %.2f (%.4f %%), WCE %d (%.4f %%), MSE %.1f, mean error %+.2f%n", m.mae(), m.maePercent(),
                m.wce(), m.wcePercent(), m.mse(), m.meanError());
        out.printf(Locale.ROOT, "  EP %.2f %%, MRE %.2f %%, WCRE %.2f %%, exact %s, symmetric %s%n",
                m.errorProbabilityPercent(), m.mrePercent(), m.wcrePercent(), t.isExact(), t.isSymmetric());
        out.print(ErrorHistogram.of(t).format());
    }

    private static String figure(double v, String unit) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.4f%s", v, unit.isEmpty() ? "" : " " + unit);
    }

    private void generate(Options o) {
        o.positional();
        Path dir = Path.of(o.get("--out", AxdseCli.HOME.resolve("luts").toString()));
        GeneratedLibrary.write(dir);
        MultiplierLibrary lib = MultiplierLibraries.load(dir);
        out.printf(Locale.ROOT, "wrote %d multipliers (version %s) to %s%n", lib.size(), lib.version(), dir);
    }

    private void convert(Options o) {
        List<String> p = o.positional("IN", "OUT");
        Path in = Path.of(p.get(0));
        Path dst = Path.of(p.get(1));
        if (o.flag("--signed") && o.flag("--unsigned")) {
            throw new AxdseException("luts convert: give at most one of --signed and --unsigned");
        }
        String base = in.getFileName().toString();
        Signedness s = o.flag("--signed") ? Signedness.SIGNED : o.flag("--unsigned") ? Signedness.UNSIGNED
                : base.toLowerCase(Locale.ROOT).startsWith("mul8s") ? Signedness.SIGNED : Signedness.UNSIGNED;
        MultiplierTable t = TableConversions.read(in, s);
        MultiplierLibraries.checkSignedness(t, in + " (read as " + s.name().toLowerCase(Locale.ROOT)
                + "; use --signed or --unsigned)");
        TableConversions.write(t, dst);
        out.printf(Locale.ROOT, "converted %s (%s) to %s%n", in, s.name().toLowerCase(Locale.ROOT), dst);
    }

    private void plot(Options o) {
        String name = o.positional("NAME").get(0);
        Path png = Path.of(o.require("--out"));
        MultiplierTable t = library(o).get(name).table();
        ErrorHeatMap.write(t, png);
        out.printf(Locale.ROOT, "wrote the error heat map of %s to %s%n", name, png);
    }

    private void tune(Options o) {
        String name = o.positional("NAME").get(0);
        Path dst = Path.of(o.require("--out"));
        MultiplierTable t = library(o).get(name).table();
        MultiplierTable tuned = AxTune.tune(t);
        TableConversions.write(tuned, dst);
        int[] map = AxTune.weightMap(t);
        List<String> moved = new ArrayList<>();
        for (int w = 0; w < 256; w++) {
            if (map[w] != w) {
                moved.add(t.signedness().codeOf(w) + "->" + t.signedness().codeOf(map[w]));
            }
        }
        out.printf(Locale.ROOT, "%s: MAE %.2f -> %.2f, %d weight codes remapped%s; wrote %s%n", tuned.name(),
                ErrorMetrics.of(t).mae(), ErrorMetrics.of(tuned).mae(), moved.size(),
                moved.isEmpty() ? "" : " (" + String.join(" ", moved.subList(0, Math.min(12, moved.size())))
                        + (moved.size() > 12 ? " ..." : "") + ")", dst);
    }
}
