package org.axdse.job.cli;

import org.apache.spark.sql.SparkSession;
import org.axdse.job.output.Failures;
import org.axdse.kernel.AxdseException;

/**
 * Starting Spark for a command: a bad master URL
 * (or any other failure to start the context) is an {@link AxdseException} naming {@code --master}, not a stack trace.
 */
final class Launch {
    private Launch() {
    }

    /**
     * @param builder the session's builder, master set
     * @param master  the master URL it was given, for the message
     * @return the session
     * @throws AxdseException when Spark cannot start with that master (a bad URL, a missing cluster manager)
     */
    static SparkSession session(SparkSession.Builder builder, String master) {
        try {
            return builder.getOrCreate();
        } catch (Exception e) { // Spark's SparkException is a checked exception that Scala throws undeclared
            if (e instanceof AxdseException a) {
                throw a;
            }
            throw new AxdseException("--master " + master + ": Spark cannot start (" + Failures.firstLine(e) + "); expected local, local[N],"
                    + " local[*] or spark://HOST:PORT (yarn and k8s:// through submit/axdse-submit)", e);
        }
    }
}
