package org.axdse.job.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.axdse.kernel.InvalidInputException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Keys, sources and errors of the job configuration. */
class JobConfigTest {
    @Test
    void defaultsFileAndOverridesInThatOrder(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("job.properties");
        Files.writeString(f, "axdse.images = 300\naxdse.strategy=random\nspark.executor.memory=2g\n");
        JobConfig c = JobConfig.load(f, List.of("axdse.strategy=exhaustive", "axdse.run-id=abc"));
        assertEquals(300, c.get(JobConfig.IMAGES));
        assertEquals(StrategyKind.EXHAUSTIVE, c.get(JobConfig.STRATEGY));
        assertEquals("abc", c.get(JobConfig.RUN_ID));
        assertEquals(500, c.get(JobConfig.SHARD_IMAGES), "default");
        assertTrue(JobConfig.load(null, List.of()).get(JobConfig.RUN_ID).startsWith("run-"), "a generated run id");
    }

    @Test
    void badKeysAndValuesAreNamed(@TempDir Path dir) throws Exception {
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> JobConfig.load(null, List.of("axdse.imagez=3")));
        assertEquals("--conf: unknown key axdse.imagez (keys: see conf/README.md)", e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> JobConfig.load(null, List.of("axdse.images=-4")));
        assertEquals("axdse.images: expected a positive integer, got '-4'", e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> JobConfig.load(null, List.of("axdse.strategy=nsga")));
        assertEquals("axdse.strategy: expected one of uniform, exhaustive, random, list, nsga2, error-model, got 'nsga'",
                e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> JobConfig.load(null, List.of("axdse.strategy.nsga2.mutation=1.5")));
        assertEquals("axdse.strategy.nsga2.mutation: expected a probability in [0, 1] or auto, got '1.5'", e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> JobConfig.load(null, List.of("axdse.strategy.nsga2.tiles=-1")));
        assertEquals("axdse.strategy.nsga2.tiles: expected an integer >= 0, got '-1'", e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> JobConfig.load(null, List.of("axdse.strategy.error-model.cost=measured")));
        assertEquals("axdse.strategy.error-model.cost=measured needs axdse.sensitivity=true", e.getMessage());
        assertTrue(Double.isNaN(JobConfig.load(null, List.of()).get(JobConfig.NSGA2_MUTATION)), "auto");
        assertEquals(0.25, JobConfig.load(null, List.of("axdse.strategy.nsga2.mutation=0.25")).get(JobConfig.NSGA2_MUTATION));
        e = assertThrows(InvalidInputException.class, () -> JobConfig.load(null, List.of("axdse.run-id=a/b")));
        assertTrue(e.getMessage().startsWith("axdse.run-id: expected letters, digits, - and _ only"), e.getMessage());
        // A run id the file system would refuse as a folder name fails here, before any work.
        JobConfig.load(null, List.of("axdse.run-id=" + "r".repeat(JobConfig.MAX_RUN_ID)));
        e = assertThrows(InvalidInputException.class, () -> JobConfig.load(null, List.of("axdse.run-id=" + "r".repeat(300))));
        assertTrue(e.getMessage().startsWith("axdse.run-id: expected at most 200 characters (file systems refuse longer folder"
                + " names), got 300"), e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> JobConfig.load(null, List.of("axdse.strategy=list")));
        assertEquals("axdse.strategy.list.file: required by axdse.strategy=list", e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> JobConfig.load(null, List.of("images=5")));
        assertTrue(e.getMessage().startsWith("--conf images: only axdse.* keys are job keys"), e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> JobConfig.load(null, List.of("images")));
        assertEquals("--conf images: expected axdse.key=value", e.getMessage());
        Path f = dir.resolve("bad.properties");
        Files.writeString(f, "axdse.weights.per-channel=yes\n");
        e = assertThrows(InvalidInputException.class, () -> JobConfig.load(f, List.of()));
        assertEquals("axdse.weights.per-channel: expected true or false, got 'yes'", e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> JobConfig.load(dir.resolve("none.properties"), List.of()));
        assertTrue(e.getMessage().endsWith("none.properties: configuration file does not exist"), e.getMessage());
    }

    @Test
    void keysHoldTypedValuesAndCopiesAreValidatedLikeFiles() {
        JobConfig c = JobConfig.load(null, List.of("axdse.ranges=per-batch", "axdse.multipliers.signedness=signed",
                "axdse.multipliers= mul8s_exact , mul8s_t4", "axdse.layers=3,0", "axdse.strategy.error-model.cost=predicted"));
        assertEquals(org.axdse.kernel.model.QuantConfig.RangeMode.PER_BATCH, c.get(JobConfig.RANGES));
        assertEquals(SignednessFilter.SIGNED, c.get(JobConfig.SIGNEDNESS));
        assertEquals(List.of("mul8s_exact", "mul8s_t4"), c.get(JobConfig.MULTIPLIERS).items());
        assertEquals(List.of(3, 0), c.get(JobConfig.LAYERS).items());
        assertTrue(JobConfig.defaults().get(JobConfig.LAYERS).isAll());
        assertEquals(CostSource.PREDICTED, c.get(JobConfig.ERROR_MODEL_COST));
        assertEquals(new org.axdse.kernel.model.QuantConfig(org.axdse.kernel.model.QuantConfig.RangeMode.PER_BATCH, false),
                c.quantConfig());

        JobConfig d = c.with(JobConfig.STRATEGY, StrategyKind.NSGA2).with(JobConfig.IMAGES, 300)
                .with(JobConfig.NSGA2_MUTATION, Double.NaN).withText(JobConfig.LAYERS, "all");
        assertEquals(StrategyKind.NSGA2, d.get(JobConfig.STRATEGY));
        assertEquals(300, d.get(JobConfig.IMAGES));
        assertEquals("auto", d.resolved().get(JobConfig.NSGA2_MUTATION.name()));
        assertEquals("nsga2", d.resolved().get(JobConfig.STRATEGY.name()), "the runs table keeps the written form");
        assertEquals(c.get(JobConfig.RUN_ID), d.get(JobConfig.RUN_ID), "a copy keeps the run id");
        assertEquals(StrategyKind.UNIFORM, c.get(JobConfig.STRATEGY), "the original is unchanged");
        InvalidInputException e = assertThrows(InvalidInputException.class, () -> c.with(JobConfig.IMAGES, 0));
        assertEquals("axdse.images: expected a positive integer, got '0'", e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> JobConfig.load(null, List.of("axdse.layers=1,x")));
        assertEquals("axdse.layers: expected all or comma-separated layer indices (integers >= 0), got '1,x'", e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> JobConfig.load(null, List.of("axdse.multipliers=a,,b")));
        assertEquals("axdse.multipliers: expected all or a comma-separated list without empty items, got 'a,,b'", e.getMessage());
        e = assertThrows(InvalidInputException.class, () -> JobConfig.load(null, List.of("axdse.ranges=dynamic")));
        assertEquals("axdse.ranges: expected one of static, per-batch, got 'dynamic'", e.getMessage());
    }

    @Test
    void confReadmeDocumentsEveryKeyWithItsDefault() throws Exception {
        String readme = Files.readString(Path.of("..", "conf", "README.md"));
        for (ConfigKey<?> k : JobConfig.KEYS) {
            assertTrue(readme.contains("| `" + k.name() + "` | `" + k.defaultValue() + "` |"), "conf/README.md lacks " + k.name());
        }
    }
}
