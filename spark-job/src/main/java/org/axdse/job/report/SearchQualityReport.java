package org.axdse.job.report;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The page of {@code axdse bench search}: hypervolume ratio against evaluations per strategy, and every
 * strategy's evaluations over the exhaustive set in the accuracy/energy plane. Inline SVG, no scripts.
 */
public final class SearchQualityReport {
    private static final String[] COLORS = {"#d33", "#36c", "#393", "#c90", "#939"};
    private static final int W = 640;
    private static final int H = 360;
    private static final int M = 60;

    private SearchQualityReport() {
    }

    /**
     * @param exhaustiveEvaluations size of the exhaustive set
     * @param referenceAccuracy     the hypervolume's reference accuracy
     * @param exhaustive            {accuracy, energy} of every assignment
     * @param curves                per strategy, {evaluations, hypervolume ratio} steps
     * @param points                per strategy, {accuracy, energy} of its evaluations
     * @return the HTML page
     */
    public static String html(int exhaustiveEvaluations, double referenceAccuracy, List<double[]> exhaustive,
                              Map<String, List<double[]>> curves, Map<String, List<double[]>> points) {
        StringBuilder h = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                + "<title>AxDSE search quality</title><style>body{font-family:sans-serif;margin:24px;color:#222}</style></head><body>\n");
        h.append("<h1>Search quality against exhaustive search</h1>\n<p>").append(exhaustiveEvaluations)
                .append(String.format(Locale.ROOT, " assignments. Hypervolume reference: accuracy %.4f, relative energy 1.0."
                        + " The dashed lines mark the goal: ratio 0.99 with at most 5%% of the exhaustive evaluations.</p>\n",
                        referenceAccuracy));
        h.append("<h2>Hypervolume ratio vs evaluations</h2>\n").append(curvePlot(exhaustiveEvaluations, curves));
        h.append("<h2>Evaluations of each strategy (grey: exhaustive)</h2>\n").append(scatter(exhaustive, points));
        return h.append("</body></html>\n").toString();
    }

    private static String curvePlot(int exhaustive, Map<String, List<double[]>> curves) {
        double maxX = Math.max(0.05 * exhaustive, curves.values().stream().flatMap(List::stream).mapToDouble(p -> p[0]).max().orElse(1));
        double minY = Math.min(0.8, curves.values().stream().flatMap(List::stream).mapToDouble(p -> p[1]).min().orElse(0.8));
        StringBuilder s = frame("curves", "evaluations", "hypervolume ratio");
        axisLabels(s, 0, maxX, minY, 1.0, "%.0f", "%.3f");
        dashed(s, px(0, maxX), py(0.99, minY, 1.0), px(maxX, maxX), py(0.99, minY, 1.0));
        dashed(s, px(0.05 * exhaustive, maxX), py(minY, minY, 1.0), px(0.05 * exhaustive, maxX), py(1.0, minY, 1.0));
        int i = 0;
        for (Map.Entry<String, List<double[]>> c : curves.entrySet()) {
            String color = COLORS[i % COLORS.length];
            StringBuilder line = new StringBuilder();
            for (double[] p : c.getValue()) {
                double x = px(p[0], maxX);
                double y = py(p[1], minY, 1.0);
                line.append(String.format(Locale.ROOT, "%.1f,%.1f ", x, y));
                s.append(String.format(Locale.ROOT, "<circle class=\"step\" data-strategy=\"%s\" data-evaluations=\"%.0f\" data-ratio=\"%s\""
                        + " cx=\"%.1f\" cy=\"%.1f\" r=\"3\" fill=\"%s\"/>%n", RunReport.esc(c.getKey()), p[0], p[1], x, y, color));
            }
            s.append("<polyline points=\"").append(line.toString().trim()).append("\" fill=\"none\" stroke=\"").append(color).append("\"/>\n");
            legend(s, i, c.getKey(), color);
            i++;
        }
        return s.append("</svg>\n").toString();
    }

    private static String scatter(List<double[]> exhaustive, Map<String, List<double[]>> points) {
        double maxE = Math.max(1.0, exhaustive.stream().mapToDouble(p -> Double.isNaN(p[1]) ? 0 : p[1]).max().orElse(1));
        StringBuilder s = frame("strategies", "relative energy", "accuracy");
        axisLabels(s, 0, maxE, 0, 1, "%.2f", "%.1f");
        for (double[] p : exhaustive) {
            if (!Double.isNaN(p[1])) {
                s.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"1.5\" fill=\"#ccc\"/>%n", px(p[1], maxE), py(p[0], 0, 1)));
            }
        }
        int i = 0;
        for (Map.Entry<String, List<double[]>> c : points.entrySet()) {
            String color = COLORS[i % COLORS.length];
            for (double[] p : c.getValue()) {
                if (!Double.isNaN(p[1])) {
                    s.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"none\" stroke=\"%s\"/>%n",
                            px(p[1], maxE), py(p[0], 0, 1), color));
                }
            }
            legend(s, i, c.getKey(), color);
            i++;
        }
        return s.append("</svg>\n").toString();
    }

    private static StringBuilder frame(String id, String xLabel, String yLabel) {
        StringBuilder s = new StringBuilder();
        int w = W + 2 * M + 160;
        int h = H + 2 * M;
        s.append("<svg id=\"").append(id).append("\" xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(w).append("\" height=\"")
                .append(h).append("\" viewBox=\"0 0 ").append(w).append(' ').append(h).append("\">\n");
        s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#888\"/>%n", M, M, W, H));
        s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" font-size=\"13\" text-anchor=\"middle\">%s</text>%n",
                M + W / 2, M + H + 40, xLabel));
        s.append(String.format(Locale.ROOT, "<text x=\"14\" y=\"%d\" font-size=\"13\" transform=\"rotate(-90 14 %d)\" text-anchor=\"middle\">%s</text>%n",
                M + H / 2, M + H / 2, yLabel));
        return s;
    }

    private static void axisLabels(StringBuilder s, double x0, double x1, double y0, double y1, String xf, String yf) {
        for (int i = 0; i <= 5; i++) {
            double x = x0 + (x1 - x0) * i / 5;
            double y = y0 + (y1 - y0) * i / 5;
            s.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\">" + xf + "</text>%n",
                    M + W * (double) i / 5, M + H + 16, x));
            s.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\">" + yf + "</text>%n",
                    M - 6, M + H - H * (double) i / 5 + 4, y));
        }
    }

    private static void dashed(StringBuilder s, double x1, double y1, double x2, double y2) {
        s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\" stroke=\"#888\" stroke-dasharray=\"4 3\"/>%n",
                x1, y1, x2, y2));
    }

    private static void legend(StringBuilder s, int i, String name, String color) {
        s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"10\" height=\"10\" fill=\"%s\"/><text x=\"%d\" y=\"%d\""
                + " font-size=\"12\">%s</text>%n", M + W + 12, M + 18 * i, color, M + W + 28, M + 18 * i + 9, RunReport.esc(name)));
    }

    private static double px(double v, double max) {
        return M + W * v / max;
    }

    private static double py(double v, double min, double max) {
        return M + H - H * (v - min) / (max - min);
    }
}
