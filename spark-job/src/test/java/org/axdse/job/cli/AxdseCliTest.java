package org.axdse.job.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.axdse.job.search.Dominance;
import org.axdse.job.search.ParetoFront2D;
import org.axdse.kernel.AxdseException;
import org.junit.jupiter.api.Test;

/** Which commands warm the CPU kernels up in this JVM: those that evaluate here, not a cluster's driver. */
class AxdseCliTest {
    @Test
    void kernelsWarmUpOnlyWhereTheyRun() {
        assertTrue(AxdseCli.evaluatesHere("eval", List.of("--assign", "mul8u_exact")));
        assertTrue(AxdseCli.evaluatesHere("bench", List.of("eval")));
        assertTrue(AxdseCli.evaluatesHere("run", List.of("--master", "local[2]")));
        assertFalse(AxdseCli.evaluatesHere("run", List.of("--master", "spark://10.0.0.1:7077")));
        assertFalse(AxdseCli.evaluatesHere("sql", List.of("SELECT 1")));
        assertFalse(AxdseCli.evaluatesHere("luts", List.of("list")));
    }

    /* What main prints for an AxDSE error: "axdse: " and the message of the AxdseException found in the cause chain. */
    @Test
    void badInputToTheParetoFrontAndTheSortingIsAnAxdseErrorNamingIt() {
        RuntimeException e = assertThrows(RuntimeException.class,
                () -> ParetoFront2D.ofPairs(List.of(new double[] {0.9, 0.5})).hypervolume(Double.NaN, 1.0));
        AxdseException cause = AxdseCli.axdseCause(new RuntimeException("a Spark job failed", e));
        assertEquals("hypervolume reference: expected finite accuracy and energy, got (NaN, 1.0)", cause.getMessage());
        e = assertThrows(RuntimeException.class, () -> Dominance.fronts(new double[][] {{-0.9, 0.5}, {-0.8}}));
        assertEquals("dominance: point 1: expected 2 objectives {-accuracy, relativeEnergy}, got 1",
                AxdseCli.axdseCause(e).getMessage());
    }

    @Test
    void aBadMasterUrlIsOneLineNamingIt(@org.junit.jupiter.api.io.TempDir java.nio.file.Path work) throws Exception {
        CliProcess.Result r = CliProcess.run(work, "run", "--master", "nope://host:1", "--conf", "axdse.output=" + work);
        List<String> lines = SqlCommandTest.messages(r);
        System.out.println("FAULT bad master: " + lines);
        assertEquals(2, r.status(), r.err());
        assertEquals(1, lines.size(), r.err());
        assertTrue(lines.get(0).startsWith("axdse: --master nope://host:1: Spark cannot start (") && lines.get(0).endsWith(
                "); expected local, local[N], local[*] or spark://HOST:PORT (yarn and k8s:// through submit/axdse-submit)"), r.err());
    }
}
