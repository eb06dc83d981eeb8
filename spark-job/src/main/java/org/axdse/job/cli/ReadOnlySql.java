package org.axdse.job.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.catalyst.FunctionIdentifier;
import org.apache.spark.sql.catalyst.parser.ParseException;
import org.apache.spark.sql.catalyst.parser.ParserInterface;
import org.apache.spark.sql.catalyst.plans.logical.LogicalPlan;
import org.axdse.job.output.Failures;
import org.axdse.kernel.AxdseException;

/**
 * What keeps {@code axdse sql} read-only: a statement runs only when Spark's parser reads it as a query
 * ({@code SELECT}, {@code WITH}, {@code VALUES}, {@code TABLE}, {@code FROM ... SELECT}), never a command, DDL or
 * DML ({@code INSERT OVERWRITE DIRECTORY}, {@code CREATE}, {@code DROP}, {@code SET}, {@code ADD JAR}, ...), which
 * {@code spark.sql} would execute at once; and the functions that call arbitrary Java methods ({@code reflect},
 * {@code java_method}, {@code try_reflect}) are removed from the query's session.
 */
final class ReadOnlySql {
    /** Functions that call a static Java method by name: a query could change files or state through them. */
    static final List<String> REFLECTION = List.of("reflect", "java_method", "try_reflect");

    private ReadOnlySql() {
    }

    /**
     * @param spark the query's own session (its reflection functions are dropped)
     * @param query the statement
     * @throws AxdseException with the parser's first line for a syntax error, or naming the statement's kind when it
     *                        is not a query
     */
    static void checkQuery(SparkSession spark, String query) {
        ParserInterface parser = ((org.apache.spark.sql.classic.SparkSession) spark).sessionState().sqlParser();
        LogicalPlan plan;
        try {
            plan = parser.parsePlan(query);
        } catch (ParseException e) {
            throw new AxdseException("sql: " + Failures.firstLine(e), e);
        }
        try {
            parser.parseQuery(query.strip().replaceAll(";+$", ""));
        } catch (ParseException notAQuery) {
            throw new AxdseException("sql: only queries run here (SELECT, WITH, VALUES, TABLE); this statement is "
                    + plan.nodeName() + ", which would write files or change state: refused", notAQuery);
        }
        for (String f : REFLECTION) {
            ((org.apache.spark.sql.classic.SparkSession) spark).sessionState().functionRegistry()
                    .dropFunction(FunctionIdentifier.apply(f));
        }
    }

    /** @return a fresh temporary directory for Spark's warehouse (static setting of the context) */
    static Path scratchWarehouse() {
        try {
            return Files.createTempDirectory("axdse-sql-warehouse");
        } catch (IOException e) {
            throw new AxdseException("sql: cannot create a temporary directory (" + e + ")", e);
        }
    }

    /** @param dir a directory to delete with its contents, if not null; best effort (it is a temporary one) */
    static void delete(Path dir) {
        if (dir == null) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            // left in the temporary directory; nothing in the working directory
        }
    }
}
