package org.axdse.job.cli;

import java.util.List;

import org.apache.spark.sql.SparkSession;
import org.axdse.kernel.AxdseException;

/** What the commands that start a Spark job share: the session (local unless told otherwise) and option values. */
final class Sessions {
    private Sessions() {
    }

    /**
     * @param appName the application name Spark shows
     * @param master  the master URL from {@code --master}, or null: spark-submit's ({@code spark.master}) or
     *                {@code local[*]}
     * @return the session
     * @throws AxdseException when Spark cannot start with that master ({@link Launch#session})
     */
    static SparkSession start(String appName, String master) {
        SparkSession.Builder b = SparkSession.builder().appName(appName);
        if (master != null) {
            b.master(master);
        } else if (System.getProperty("spark.master") == null) {
            b.master("local[*]");
        }
        return Launch.session(b, master != null ? master : System.getProperty("spark.master", "local[*]"));
    }

    /**
     * A failure after Spark stopped the application under the job (on a cluster: the master refused or lost it, for
     * instance a cluster with {@code spark.authenticate} and a submit without its secret, which Spark reports only as
     * "LiveListenerBus is stopped" or a stopped SparkContext) becomes one line that says so; other failures pass.
     *
     * @param spark the session the job ran in
     * @param e     what the job threw
     * @return the exception to throw
     */
    static RuntimeException explainStopped(SparkSession spark, RuntimeException e) {
        if (e instanceof AxdseException || !spark.sparkContext().isStopped()) {
            return e;
        }
        return new AxdseException("Spark stopped the application while it ran (master " + spark.sparkContext().master()
                + "): the cluster did not accept it or lost it. A cluster with spark.authenticate needs its secret"
                + " (AXDSE_SECRET_FILE, conf/README.md \"Securing a cluster\"); otherwise see the master's log", e);
    }

    /**
     * @param command the command, for the message
     * @param args    its arguments
     * @param i       the index of an option's value
     * @param option  the option
     * @return the value
     * @throws AxdseException when the arguments end before it
     */
    static String value(String command, List<String> args, int i, String option) {
        if (i >= args.size()) {
            throw new AxdseException(command + ": " + option + " needs a value");
        }
        return args.get(i);
    }
}
