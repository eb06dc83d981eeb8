package org.axdse.job.exec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import org.apache.spark.SparkConf;
import org.axdse.job.config.SparkSettings;
import org.axdse.kernel.InvalidInputException;
import org.axdse.kernel.cuda.CudaAvailability;
import org.axdse.kernel.cuda.CudaRuntime;
import org.junit.jupiter.api.Test;

/** Which backend a task gets from its Spark resources; the per-device concurrency limit. No GPU needed. */
class GpuSelectionTest {
    static final Supplier<CudaAvailability> NO_DRIVER = () -> CudaAvailability.unavailable(
            "no CUDA driver (libcuda not loadable: libcuda.so.1: cannot open shared object file: No such file or directory)");
    static final Supplier<CudaAvailability> TWO_GPUS = () -> new CudaAvailability(true, 2, "CUDA driver 12.4, 2 device(s)");
    static final Supplier<CudaAvailability> NOT_ASKED = () -> {
        throw new AssertionError("CUDA must not be probed when no GPU was given");
    };

    static Map<String, List<String>> gpu(String... addresses) {
        return Map.of("gpu", List.of(addresses));
    }

    @Test
    void noGpuResourceRunsOnTheCpuWithoutProbingCuda() {
        GpuSelection.Choice c = GpuSelection.choose(Map.of(), 1, NOT_ASKED, null, Map.of());
        assertFalse(c.cuda());
        assertEquals("cpu", c.backend());
        assertEquals("cpu", GpuSelection.choose(Map.of("fpga", List.of("0")), 1, NOT_ASKED, null, Map.of()).backend());
        assertEquals("cpu", GpuSelection.choose(gpu(), 1, NOT_ASKED, null, Map.of()).backend(), "an empty address list");
        assertEquals("cpu", GpuSelection.forTask().backend(), "outside a Spark task");
    }

    @Test
    void aGpuWithoutADriverRunsOnTheCpuAndSaysWhy() {
        GpuSelection.Choice c = GpuSelection.choose(gpu("0"), 1, NO_DRIVER, null, Map.of());
        assertFalse(c.cuda());
        assertEquals("cpu (gpu 0 given: no CUDA driver (libcuda not loadable: libcuda.so.1: cannot open shared object file: "
                + "No such file or directory))", c.backend());
        assertEquals("cpu (gpu 1 given: CUDA driver has no devices)", GpuSelection.choose(gpu("1"), 1,
                () -> CudaAvailability.unavailable("CUDA driver has no devices"), null, Map.of()).backend());
    }

    @Test
    void onThisMachineTheRealProbeDecides() {
        CudaAvailability a = CudaRuntime.availability();
        GpuSelection.Choice c = GpuSelection.choose(gpu("0"), 1, CudaRuntime::availability, null, Map.of());
        assertEquals(a.available(), c.cuda(), c.backend());
        assertEquals(a.available() ? "cuda:0" : "cpu (gpu 0 given: " + a.reason() + ")", c.backend());
    }

    @Test
    void aValidAddressRunsOnThatDevice() {
        assertEquals("cuda:0", GpuSelection.choose(gpu("0"), 1, TWO_GPUS, null, Map.of()).backend());
        GpuSelection.Choice one = GpuSelection.choose(gpu(" 1 "), 1, TWO_GPUS, "", Map.of());
        assertTrue(one.cuda());
        assertEquals(1, one.device());
        assertEquals("1", one.address());
        assertEquals("cuda:1", GpuSelection.choose(gpu("1", "0"), 1, TWO_GPUS, null, Map.of()).backend(),
                "several addresses: the first one");
    }

    @Test
    void anAddressBeyondTheDeviceCountOrNotAnIndexRunsOnTheCpu() {
        assertEquals("cpu (gpu 2 given: CUDA device 2 (gpu address 2) is beyond the 2 device(s) this executor sees)",
                GpuSelection.choose(gpu("2"), 1, TWO_GPUS, null, Map.of()).backend());
        assertEquals("cpu (gpu GPU-8f2c given: gpu address 'GPU-8f2c' is not a device index)",
                GpuSelection.choose(gpu("GPU-8f2c"), 1, TWO_GPUS, null, Map.of()).backend());
        assertEquals("cpu (gpu -1 given: gpu address '-1' is not a device index)",
                GpuSelection.choose(gpu("-1"), 1, TWO_GPUS, null, Map.of()).backend());
    }

    @Test
    void cudaVisibleDevicesRenumbersTheDiscoveredIndices() {
        // nvidia-smi (the discovery script) reports physical indices; CUDA numbers the visible ones from 0.
        assertEquals("cuda:1", GpuSelection.choose(gpu("3"), 1, TWO_GPUS, "2,3", Map.of()).backend());
        assertEquals("cuda:0", GpuSelection.choose(gpu("2"), 1, TWO_GPUS, "2, 3", Map.of()).backend());
        assertEquals("cpu (gpu 1 given: gpu address 1 is not among CUDA_VISIBLE_DEVICES=2,3)",
                GpuSelection.choose(gpu("1"), 1, TWO_GPUS, "2,3", Map.of()).backend());
        assertEquals("cuda:1", GpuSelection.choose(gpu("1"), 1, TWO_GPUS, "GPU-aaaa,GPU-bbbb", Map.of()).backend(),
                "UUIDs cannot be matched: the address is the ordinal");
    }

    @Test
    void aDeviceThatFailedEarlierOrALimitOfZeroRunsOnTheCpu() {
        assertEquals("cpu (gpu 0 given: cuda:0 failed earlier on this executor: CUDA_ERROR_OUT_OF_MEMORY)",
                GpuSelection.choose(gpu("0"), 1, TWO_GPUS, null, Map.of(0, "CUDA_ERROR_OUT_OF_MEMORY")).backend());
        assertEquals("cuda:1", GpuSelection.choose(gpu("1"), 1, TWO_GPUS, null, Map.of(0, "CUDA_ERROR_OUT_OF_MEMORY")).backend());
        assertEquals("cpu (gpu 0 given: spark.axdse.gpu.tasks-per-device=0 turns GPU use off)",
                GpuSelection.choose(gpu("0"), 0, NOT_ASKED, null, Map.of()).backend());
        GpuSelection.Choice failedLater = GpuSelection.choose(gpu("0"), 1, TWO_GPUS, null, Map.of()).onCpu("CUDA failed: x");
        assertEquals("cpu (gpu 0 given: CUDA failed: x)", failedLater.backend());
    }

    @Test
    void theLimitIsASparkSettingWithADefaultAndIsValidated() {
        assertEquals(1, SparkSettings.gpuTasksPerDevice(null));
        assertEquals(1, SparkSettings.gpuTasksPerDevice(new SparkConf(false)));
        assertEquals(3, SparkSettings.gpuTasksPerDevice(new SparkConf(false).set("spark.axdse.gpu.tasks-per-device", "3")));
        assertEquals(0, SparkSettings.gpuTasksPerDevice(new SparkConf(false).set("spark.axdse.gpu.tasks-per-device", " 0")));
        for (String bad : new String[] {"-1", "two", "1.5", ""}) {
            SparkConf conf = new SparkConf(false).set("spark.axdse.gpu.tasks-per-device", bad);
            InvalidInputException e = assertThrows(InvalidInputException.class, () -> SparkSettings.gpuTasksPerDevice(conf));
            assertEquals("spark.axdse.gpu.tasks-per-device: expected a non-negative integer (0 = CPU only), got '" + bad + "'",
                    e.getMessage());
        }
        assertThrows(InvalidInputException.class, () -> new GpuSelection.Slots(0));
    }

    @Test
    void confReadmeDocumentsTheSettingWithItsDefault() throws java.io.IOException {
        String readme = java.nio.file.Files.readString(java.nio.file.Path.of("..", "conf", "README.md"));
        for (var k : SparkSettings.KEYS) {
            assertTrue(readme.contains("| `" + k.name() + "` | `" + k.defaultValue() + "` |"), "conf/README.md lacks " + k.name());
        }
        assertEquals("spark.axdse.gpu.tasks-per-device", SparkSettings.GPU_TASKS_PER_DEVICE.name());
        assertEquals("1", SparkSettings.GPU_TASKS_PER_DEVICE.defaultValue());
    }

    @Test
    @SuppressWarnings("try") // permits held for their scope only
    void atMostTheLimitOfTasksHoldADeviceAtOnce() throws Exception {
        GpuSelection.Slots slots = new GpuSelection.Slots(2);
        AtomicInteger onDevice0 = new AtomicInteger();
        AtomicInteger most = new AtomicInteger();
        int tasks = 8;
        CountDownLatch started = new CountDownLatch(tasks);
        ExecutorService pool = Executors.newFixedThreadPool(tasks);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < tasks; t++) {
                done.add(pool.submit(() -> {
                    started.countDown();
                    try (GpuSelection.Slots.Permit p = slots.acquire(0)) {
                        most.accumulateAndGet(onDevice0.incrementAndGet(), Math::max);
                        Thread.sleep(20);
                        onDevice0.decrementAndGet();
                    }
                    return null;
                }));
            }
            assertTrue(started.await(10, TimeUnit.SECONDS));
            // Another device has its own permits: it is not blocked by device 0's holders.
            try (GpuSelection.Slots.Permit a = slots.acquire(1); GpuSelection.Slots.Permit b = slots.acquire(1)) {
                assertEquals(2, slots.perDevice());
            }
            for (Future<?> f : done) {
                f.get(30, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(2, most.get(), "two of eight tasks at a time, and both slots were used");
        GpuSelection.Slots.Permit p = slots.acquire(0);
        p.close();
        p.close(); // idempotent: releases once
        try (GpuSelection.Slots.Permit x = slots.acquire(0); GpuSelection.Slots.Permit y = slots.acquire(0)) {
            assertEquals(2, slots.perDevice(), "both permits are free again");
        }
    }
}
