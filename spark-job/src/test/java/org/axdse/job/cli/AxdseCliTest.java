package org.axdse.job.cli;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

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
}
