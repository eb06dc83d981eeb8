package org.axdse.job.driver;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.axdse.job.output.EvaluationRecord;
import org.axdse.kernel.InvalidInputException;
import org.axdse.kernel.lut.MultiplierLibrary;
import org.axdse.kernel.model.Assignment;

/**
 * Whether an earlier invocation's results may be kept when a run id is re-run: only when they were computed from
 * the same inputs. The run's fingerprint (settings, model hash, library version, image content) must be equal,
 * and every table an earlier evaluation used must still have the content it had then (a table edited in place,
 * with the library's version tag unchanged, would otherwise mix accuracies measured with the old table into a
 * run that describes the new one). Otherwise the resume is refused, naming what changed.
 */
final class ResumeCheck {
    private static final String REMEDY = "use --overwrite to replace the run or choose another axdse.run-id";

    private ResumeCheck() {
    }

    /**
     * @param runId    the run
     * @param where    the runs table, for the message
     * @param previous the fingerprint the earlier invocation recorded
     * @param now      this invocation's
     * @throws InvalidInputException naming each setting that differs, with both values
     */
    static void settings(String runId, String where, String previous, String now) {
        if (now.equals(previous)) {
            return;
        }
        Map<String, String> was = parse(previous);
        Map<String, String> is = parse(now);
        Set<String> keys = new TreeSet<>(was.keySet());
        keys.addAll(is.keySet());
        StringBuilder diff = new StringBuilder();
        for (String k : keys) {
            String a = was.getOrDefault(k, "(none)");
            String b = is.getOrDefault(k, "(none)");
            if (!a.equals(b)) {
                diff.append(diff.length() == 0 ? "" : "; ").append(k).append(" was ").append(a).append(", now ").append(b);
            }
        }
        throw new InvalidInputException("run " + runId + " exists in " + where + " with other settings that change results ("
                + diff + "); " + REMEDY);
    }

    /**
     * @param run     this invocation's run
     * @param where   the evaluations table, for the message
     * @param earlier the earlier invocation's evaluations
     * @throws InvalidInputException naming the first table that changed or that the library no longer has
     */
    static void tables(ResolvedRun run, String where, List<EvaluationRecord> earlier) {
        MultiplierLibrary library = run.library();
        for (EvaluationRecord r : earlier) {
            List<String> hashes = r.tableSha256();
            if (hashes == null || hashes.size() != r.assignment().size()) {
                throw new InvalidInputException("run " + run.runId() + " in " + where + " has evaluations without the hashes of"
                        + " their tables (written by an earlier AxDSE version); " + REMEDY);
            }
            for (int i = 0; i < hashes.size(); i++) {
                String name = r.assignment().get(i);
                if (name.equals(Assignment.EXACT_FP32)) {
                    continue;
                }
                if (!library.contains(name)) {
                    throw new InvalidInputException("run " + run.runId() + " in " + where + " was evaluated with multiplier " + name
                            + ", which library " + library.location() + " no longer has; " + REMEDY);
                }
                String now = run.tableSha256(name);
                if (!now.equals(hashes.get(i))) {
                    throw new InvalidInputException("run " + run.runId() + " in " + where + ": table " + name + " ("
                            + library.location() + "/" + library.get(name).info().file() + ") changed since the run evaluated it"
                            + " (sha256 was " + abbreviated(hashes.get(i)) + ", now " + abbreviated(now) + "); resuming would mix"
                            + " results of both tables: " + REMEDY);
                }
            }
        }
    }

    private static String abbreviated(String sha) {
        return sha.length() > 16 ? sha.substring(0, 16) + "..." : sha;
    }

    /** {@code k=v;k=v} as a map, in order (a part without {@code =} is its own key). */
    private static Map<String, String> parse(String fingerprint) {
        Map<String, String> m = new LinkedHashMap<>();
        if (fingerprint == null) {
            return m;
        }
        for (String part : fingerprint.split(";")) {
            int eq = part.indexOf('=');
            m.put(eq < 0 ? part : part.substring(0, eq), eq < 0 ? "" : part.substring(eq + 1));
        }
        return m;
    }
}
