package org.axdse.job.report;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A run's self-contained HTML report: inline SVG only, no scripts, no fetched resources, so it opens
 * offline. Sections: run facts, the accuracy/energy scatter of every evaluation with the Pareto front
 * highlighted and uniform (ALWANN baseline) assignments marked, the front as a table with each layer's
 * multiplier, how often each multiplier appears on the front per layer, and, when the run had the sensitivity
 * stage, the layer x multiplier accuracy-drop heat map with the error model's prediction in each cell's tooltip.
 */
public final class RunReport {
    /** Plot size in pixels (inside margins). */
    static final int WIDTH = 640;
    static final int HEIGHT = 400;
    static final int MARGIN = 60;

    /**
     * One evaluated candidate as the report shows it.
     *
     * @param candidateId    id
     * @param assignment     multiplier per layer
     * @param accuracy       accuracy
     * @param relativeEnergy relative energy (NaN when unknown: not plotted)
     * @param onFront        on the Pareto front
     * @param uniform        one multiplier for every approximated layer
     * @param accuracyLow    lower end of its accuracy interval (NaN: none drawn)
     * @param accuracyHigh   upper end
     * @param racedOut       dropped by racing (its accuracy is that of the images it saw)
     */
    public record Point(String candidateId, List<String> assignment, double accuracy, double relativeEnergy, boolean onFront,
                        boolean uniform, double accuracyLow, double accuracyHigh, boolean racedOut) {
        /** A point without an interval, not raced out. */
        public Point(String candidateId, List<String> assignment, double accuracy, double relativeEnergy, boolean onFront,
                     boolean uniform) {
            this(candidateId, assignment, accuracy, relativeEnergy, onFront, uniform, Double.NaN, Double.NaN, false);
        }
    }

    /**
     * A front member's validation on images the search never saw.
     *
     * @param images          validation images
     * @param accuracy        validated accuracy
     * @param low             its interval, lower end
     * @param high            upper end
     * @param drop            the baseline's validated accuracy minus this one
     * @param dropLow         paired interval of the drop, lower end
     * @param dropHigh        upper end
     * @param gainSignificant whether its gain over the next cheaper member is significant (null: the cheapest)
     */
    public record Validation(long images, double accuracy, double low, double high, double drop, double dropLow,
                             double dropHigh, Boolean gainSignificant) {
    }

    /**
     * One cell of the sensitivity heat map.
     *
     * @param layerIndex             layer
     * @param layerName              its name
     * @param multiplier             the multiplier used on that layer alone
     * @param accuracyDrop           measured drop against the exact 8-bit baseline
     * @param predictedDrop          the error model's predicted accuracy drop (NaN when unknown)
     */
    public record Sensitivity(int layerIndex, String layerName, String multiplier, double accuracyDrop,
                              double predictedDrop) {
    }

    private RunReport() {
    }

    /**
     * The report without a sensitivity section.
     *
     * @param title      page title (e.g. the run id)
     * @param facts      run facts, in display order
     * @param layerNames approximable layer names, in layer order
     * @param points     every evaluation
     * @return the HTML page
     */
    public static String html(String title, Map<String, String> facts, List<String> layerNames, List<Point> points) {
        return html(title, facts, layerNames, points, List.of());
    }

    /**
     * @param title      page title (e.g. the run id)
     * @param facts      run facts, in display order
     * @param layerNames approximable layer names, in layer order
     * @param points     every evaluation
     * @param sensitivity the sensitivity stage's cells (empty: no such section)
     * @return the HTML page
     */
    public static String html(String title, Map<String, String> facts, List<String> layerNames, List<Point> points,
                              List<Sensitivity> sensitivity) {
        return html(title, facts, layerNames, points, sensitivity, Map.of());
    }

    /**
     * @param title       page title (e.g. the run id)
     * @param facts       run facts, in display order
     * @param layerNames  approximable layer names, in layer order
     * @param points      every evaluation
     * @param sensitivity the sensitivity stage's cells (empty: no such section)
     * @param validated   front members' validations by candidate id (empty: the front was not validated)
     * @return the HTML page
     */
    public static String html(String title, Map<String, String> facts, List<String> layerNames, List<Point> points,
                              List<Sensitivity> sensitivity, Map<String, Validation> validated) {
        StringBuilder h = new StringBuilder();
        h.append("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>AxDSE run ").append(esc(title))
                .append("</title>\n<style>body{font-family:sans-serif;margin:24px;color:#222}table{border-collapse:collapse;"
                        + "margin:12px 0}td,th{border:1px solid #ccc;padding:3px 8px;font-size:13px;text-align:left}"
                        + "th{background:#f0f0f0}.num{text-align:right}</style></head><body>\n");
        h.append("<h1>AxDSE run ").append(esc(title)).append("</h1>\n<table id=\"facts\">\n");
        facts.forEach((k, v) -> h.append("<tr><th>").append(esc(k)).append("</th><td>").append(esc(v)).append("</td></tr>\n"));
        h.append("</table>\n<h2>Accuracy vs relative energy</h2>\n").append(scatter(points));
        h.append("<p>Grey: all evaluations; red: the Pareto front (maximum accuracy, minimum energy); squares: uniform"
                + " assignments (one multiplier on every layer, the ALWANN baseline); hollow: dropped by racing (accuracy on the"
                + " images they saw); bars: accuracy intervals.</p>\n");
        List<Point> front = new ArrayList<>(points.stream().filter(Point::onFront).toList());
        front.sort(Comparator.comparingDouble(Point::relativeEnergy));
        h.append("<h2>Pareto front (").append(front.size()).append(")</h2>\n<table id=\"front\"><tr><th>relative energy</th>"
                + "<th>accuracy</th>" + (validated.isEmpty() ? "" : "<th>validated accuracy</th><th>interval</th>"
                + "<th>validated drop</th><th>drop interval</th><th>gain over cheaper</th>"));
        for (String l : layerNames) {
            h.append("<th>").append(esc(l)).append("</th>");
        }
        h.append("</tr>\n");
        for (Point p : front) {
            h.append("<tr data-candidate=\"").append(esc(p.candidateId())).append("\"><td class=\"num\">")
                    .append(fmt(p.relativeEnergy())).append("</td><td class=\"num\">").append(fmt(p.accuracy())).append("</td>");
            Validation v = validated.get(p.candidateId());
            if (!validated.isEmpty()) {
                h.append(v == null ? "<td colspan=\"5\">n/a</td>" : "<td class=\"num\">" + fmt(v.accuracy()) + "</td><td>["
                        + fmt(v.low()) + ", " + fmt(v.high()) + "]</td><td class=\"num\">" + fmt(v.drop()) + "</td><td>["
                        + fmt(v.dropLow()) + ", " + fmt(v.dropHigh()) + "]</td><td>" + (v.gainSignificant() == null ? "-"
                        : v.gainSignificant() ? "significant" : "not significant") + "</td>");
            }
            for (String m : p.assignment()) {
                h.append("<td>").append(esc(m)).append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</table>\n");
        if (!validated.isEmpty()) {
            h.append("<p>Validated: measured again on ").append(validated.values().iterator().next().images())
                    .append(" test images the search never saw (no selection bias); drop against the exact 8-bit baseline on"
                            + " the same images with a paired interval; a gain that is not significant means the cheaper"
                            + " neighbour is as good within the noise.</p>\n");
        }
        h.append("<h2>Multipliers on the front, per layer</h2>\n<table id=\"choices\"><tr><th>layer</th>"
                + "<th>multiplier: times on the front</th></tr>\n");
        for (int l = 0; l < layerNames.size(); l++) {
            Map<String, Integer> counts = new java.util.TreeMap<>();
            for (Point p : front) {
                counts.merge(p.assignment().get(l), 1, Integer::sum);
            }
            StringBuilder cell = new StringBuilder();
            counts.forEach((m, c) -> cell.append(cell.length() == 0 ? "" : ", ").append(m).append(": ").append(c));
            h.append("<tr><td>").append(esc(layerNames.get(l))).append("</td><td>").append(esc(cell.toString())).append("</td></tr>\n");
        }
        h.append("</table>\n");
        if (!sensitivity.isEmpty()) {
            h.append("<h2>Sensitivity: accuracy drop of each layer alone with each multiplier</h2>\n").append(heatMap(sensitivity))
                    .append("<p>Each cell: the accuracy drop (percentage points) against the exact 8-bit baseline when only that"
                            + " layer uses that multiplier; darker is worse. The tooltip adds the error model's predicted drop.</p>\n");
        }
        return h.append("</body></html>\n").toString();
    }

    /** The layer x multiplier heat map as inline SVG; cells carry their values as data attributes. */
    static String heatMap(List<Sensitivity> cells) {
        List<String> layers = new ArrayList<>();
        List<String> multipliers = new ArrayList<>();
        for (Sensitivity c : cells.stream().sorted(Comparator.comparingInt(Sensitivity::layerIndex)).toList()) {
            if (!layers.contains(c.layerName())) {
                layers.add(c.layerName());
            }
            if (!multipliers.contains(c.multiplier())) {
                multipliers.add(c.multiplier());
            }
        }
        double worst = Math.max(1e-9, cells.stream().mapToDouble(Sensitivity::accuracyDrop).max().orElse(0));
        int cw = 34;
        int ch = 24;
        int left = 150;
        int top = 150;
        int w = left + cw * multipliers.size() + 20;
        int hgt = top + ch * layers.size() + 20;
        StringBuilder s = new StringBuilder();
        s.append("<svg id=\"sensitivity\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(w).append("\" height=\"")
                .append(hgt).append("\" viewBox=\"0 0 ").append(w).append(' ').append(hgt).append("\">\n");
        for (int m = 0; m < multipliers.size(); m++) {
            double x = left + cw * m + cw / 2.0;
            s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"10\" transform=\"rotate(-60 %.1f %d)\">%s</text>%n",
                    x, top - 6, x, top - 6, esc(multipliers.get(m))));
        }
        for (int l = 0; l < layers.size(); l++) {
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"11\" text-anchor=\"end\">%s</text>%n",
                    left - 6, top + ch * l + 16, esc(layers.get(l))));
        }
        for (Sensitivity c : cells) {
            int col = multipliers.indexOf(c.multiplier());
            int row = layers.indexOf(c.layerName());
            double t = Math.max(0, Math.min(1, c.accuracyDrop() / worst));
            int g = (int) Math.round(255 * (1 - t));
            String color = String.format(Locale.ROOT, "rgb(255,%d,%d)", g, g);
            s.append(String.format(Locale.ROOT, "<rect class=\"cell\" data-layer=\"%s\" data-multiplier=\"%s\" data-drop=\"%s\""
                            + " x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"%s\" stroke=\"#fff\"><title>%s on %s: drop %.2f pp,"
                            + " error model's prediction %s pp</title></rect>%n", esc(c.layerName()), esc(c.multiplier()), c.accuracyDrop(),
                    left + cw * col, top + ch * row, cw, ch, color, esc(c.multiplier()), esc(c.layerName()), 100 * c.accuracyDrop(),
                    Double.isNaN(c.predictedDrop()) ? "n/a" : String.format(Locale.ROOT, "%.2f", 100 * c.predictedDrop())));
            s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"9\" text-anchor=\"middle\">%.1f</text>%n",
                    left + cw * col + cw / 2.0, top + ch * row + 16, 100 * c.accuracyDrop()));
        }
        return s.append("</svg>\n").toString();
    }

    /** The scatter as inline SVG; each point carries its candidate id and values as data attributes. */
    static String scatter(List<Point> points) {
        List<Point> plotted = points.stream().filter(p -> !Double.isNaN(p.relativeEnergy())).toList();
        double maxE = Math.max(1.0, plotted.stream().mapToDouble(Point::relativeEnergy).max().orElse(1));
        StringBuilder s = new StringBuilder();
        int w = WIDTH + 2 * MARGIN;
        int hgt = HEIGHT + 2 * MARGIN;
        s.append("<svg id=\"pareto\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(w).append("\" height=\"").append(hgt)
                .append("\" viewBox=\"0 0 ").append(w).append(' ').append(hgt).append("\">\n");
        s.append("<rect x=\"").append(MARGIN).append("\" y=\"").append(MARGIN).append("\" width=\"").append(WIDTH)
                .append("\" height=\"").append(HEIGHT).append("\" fill=\"none\" stroke=\"#888\"/>\n");
        for (int i = 0; i <= 5; i++) {
            double e = maxE * i / 5;
            double a = i / 5.0;
            s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">%.2f</text>\n",
                    x(e, maxE), MARGIN + HEIGHT + 16, e));
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\">%.1f</text>\n",
                    MARGIN - 6, y(a) + 4, a));
        }
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"13\" text-anchor=\"middle\">relative energy</text>\n",
                MARGIN + WIDTH / 2, MARGIN + HEIGHT + 40));
        s.append(String.format(Locale.ROOT, "<text x=\"16\" y=\"%d\" font-size=\"13\" transform=\"rotate(-90 16 %d)\""
                + " text-anchor=\"middle\">accuracy</text>\n", MARGIN + HEIGHT / 2, MARGIN + HEIGHT / 2));
        List<Point> front = new ArrayList<>(plotted.stream().filter(Point::onFront).toList());
        front.sort(Comparator.comparingDouble(Point::relativeEnergy));
        if (front.size() > 1) {
            StringBuilder line = new StringBuilder();
            for (Point p : front) {
                line.append(String.format(Locale.ROOT, "%.1f,%.1f ", x(p.relativeEnergy(), maxE), y(p.accuracy())));
            }
            s.append("<polyline points=\"").append(line.toString().trim()).append("\" fill=\"none\" stroke=\"#d33\"/>\n");
        }
        for (Point p : plotted) {
            if (!Double.isNaN(p.accuracyLow()) && !Double.isNaN(p.accuracyHigh())) {
                double px = x(p.relativeEnergy(), maxE);
                s.append(String.format(Locale.ROOT, "<line class=\"ci\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\""
                        + " stroke=\"%s\" stroke-width=\"0.7\"/>\n", px, y(p.accuracyLow()), px, y(p.accuracyHigh()),
                        p.onFront() ? "#d33" : "#ccc"));
            }
        }
        for (Point p : plotted) {
            String color = p.onFront() ? "#d33" : "#999";
            String data = String.format(Locale.ROOT, " class=\"point%s%s%s\" data-candidate=\"%s\" data-energy=\"%s\" data-accuracy=\"%s\"",
                    p.onFront() ? " front" : "", p.uniform() ? " uniform" : "", p.racedOut() ? " raced-out" : "", esc(p.candidateId()), p.relativeEnergy(), p.accuracy());
            double px = x(p.relativeEnergy(), maxE);
            double py = y(p.accuracy());
            if (p.uniform()) {
                s.append(String.format(Locale.ROOT, "<rect%s x=\"%.1f\" y=\"%.1f\" width=\"8\" height=\"8\" fill=\"%s\"><title>%s</title></rect>\n",
                        data, px - 4, py - 4, color, esc(String.join(",", p.assignment()))));
            } else {
                s.append(String.format(Locale.ROOT, "<circle%s cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" %s><title>%s</title></circle>\n",
                        data, px, py, p.racedOut() ? "fill=\"none\" stroke=\"#bbb\"" : "fill=\"" + color + "\"",
                        esc(String.join(",", p.assignment()))));
            }
        }
        return s.append("</svg>\n").toString();
    }

    static double x(double energy, double maxE) {
        return MARGIN + WIDTH * energy / maxE;
    }

    static double y(double accuracy) {
        return MARGIN + HEIGHT * (1 - accuracy);
    }

    private static String fmt(double v) {
        return Double.isNaN(v) ? "n/a" : String.format(Locale.ROOT, "%.4f", v);
    }

    static String esc(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
