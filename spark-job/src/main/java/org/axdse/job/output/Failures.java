package org.axdse.job.output;

import org.apache.spark.SparkThrowable;

/**
 * What the user sees of an exception of Spark, Hadoop, Parquet or the JVM: one line, the innermost message (a
 * failed task's exception is the cause of its job's, a full disk's {@code IOException} the cause of the task's).
 */
public final class Failures {
    private Failures() {
    }

    /**
     * @param e an exception, possibly wrapped
     * @return the first non-blank line of the innermost message, prefixed with the exception's simple class name
     *         unless it is one of Spark's errors (whose message starts with its error class)
     */
    public static String firstLine(Throwable e) {
        Throwable pick = e;
        int depth = 0;
        for (Throwable t = e; t != null && depth < 32; t = t.getCause(), depth++) {
            if (t.getMessage() != null && !t.getMessage().isBlank()) {
                pick = t;
            }
        }
        String message = pick.getMessage() == null ? "" : pick.getMessage().lines().map(String::strip)
                .filter(l -> !l.isEmpty()).findFirst().orElse("");
        if (pick instanceof SparkThrowable && !message.isEmpty()) {
            return message;
        }
        return pick.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message);
    }
}
