package org.axdse.job.report;

import java.util.List;
import java.util.Map;

/**
 * A self-contained HTML page for an experiment's summary: its facts, the summary table and links to the reports of
 * its runs (which lie beside it, {@code reports/<run_id>.html}).
 */
public final class ExperimentReport {
    private ExperimentReport() {
    }

    /**
     * @param title  the page title
     * @param facts  label -> text, shown above the table
     * @param header the table's column names
     * @param rows   its cells, as text
     * @param runs   run id -> what it is (e.g. the method), linked to {@code <run_id>.html}
     * @return the page
     */
    public static String html(String title, Map<String, String> facts, List<String> header, List<List<String>> rows,
                              Map<String, String> runs) {
        StringBuilder h = new StringBuilder(4096);
        h.append("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>").append(RunReport.esc(title))
                .append("</title>\n<style>body{font-family:sans-serif;margin:24px;color:#222}table{border-collapse:collapse;"
                        + "font-size:13px}td,th{border:1px solid #ccc;padding:3px 7px;text-align:left}th{background:#f2f2f2}"
                        + "td.n{text-align:right}dt{font-weight:bold;float:left;width:11em}dd{margin-left:12em}</style>"
                        + "</head><body>\n<h1>").append(RunReport.esc(title)).append("</h1>\n<dl>\n");
        facts.forEach((k, v) -> h.append("<dt>").append(RunReport.esc(k)).append("</dt><dd>").append(RunReport.esc(v))
                .append("</dd>\n"));
        h.append("</dl>\n<table>\n<tr>");
        header.forEach(c -> h.append("<th>").append(RunReport.esc(c)).append("</th>"));
        h.append("</tr>\n");
        for (List<String> row : rows) {
            h.append("<tr>");
            row.forEach(c -> h.append(c.matches("[-+]?[0-9][0-9.,%]*( s)?") ? "<td class=\"n\">" : "<td>")
                    .append(RunReport.esc(c)).append("</td>"));
            h.append("</tr>\n");
        }
        h.append("</table>\n<h2>Runs</h2>\n<ul>\n");
        runs.forEach((id, what) -> h.append("<li><a href=\"").append(RunReport.esc(id)).append(".html\">")
                .append(RunReport.esc(id)).append("</a>: ").append(RunReport.esc(what)).append("</li>\n"));
        return h.append("</ul>\n</body></html>\n").toString();
    }
}
