package org.axdse.job.exec;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.function.Supplier;

import org.apache.spark.SparkEnv;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;
import org.axdse.kernel.AxdseException;
import org.axdse.job.config.SparkSettings;
import org.axdse.kernel.InvalidInputException;
import org.axdse.kernel.cuda.CudaAvailability;
import org.axdse.kernel.cuda.CudaContext;
import org.axdse.kernel.cuda.CudaRuntime;

/**
 * Which backend a task runs on, and the executor's GPU bookkeeping.
 *
 * <p>{@link #choose} is the whole decision, a pure function: a task that Spark gave no {@code gpu} resource
 * runs on the CPU; one that got an address runs on {@code cuda:<ordinal>} when CUDA is available, the
 * address maps to a visible device, the device has not failed earlier in this executor, and GPU use is not
 * switched off ({@code spark.axdse.gpu.tasks-per-device} = 0); otherwise on the CPU with the reason. Spark's addresses
 * are what the discovery script printed ({@code conf/gpu-discovery.sh}: nvidia-smi indices); when the
 * executor's {@code CUDA_VISIBLE_DEVICES} lists devices by index, address {@code a} is CUDA ordinal
 * {@code CUDA_VISIBLE_DEVICES.indexOf(a)}, else the address is the ordinal.
 *
 * <p>Per executor JVM there is at most one {@link CudaContext} per device ({@link #context}), opened on the
 * first task that needs it and kept for the executor's life, and a semaphore per device that lets at most
 * {@code spark.axdse.gpu.tasks-per-device} tasks (default 1) use it at once ({@link #acquire}); a task waits for a permit.
 * {@link #forTask()} is the one adapter to Spark's {@link TaskContext}.
 */
public final class GpuSelection {
    /** Spark's resource name for GPUs. */
    public static final String RESOURCE = "gpu";
    /** The Spark setting of the per-device task limit (see {@link SparkSettings#GPU_TASKS_PER_DEVICE}). */
    private static final String TASKS_PER_DEVICE = SparkSettings.GPU_TASKS_PER_DEVICE.name();

    private static final Map<Integer, CudaContext> CONTEXTS = new ConcurrentHashMap<>();
    private static final Map<Integer, String> FAILED = new ConcurrentHashMap<>();
    private static volatile Slots slots;

    private GpuSelection() {
    }

    /**
     * A task's backend.
     *
     * @param address the Spark GPU address the task was given, or null when none
     * @param device  the CUDA ordinal to run on, or -1 for the CPU
     * @param reason  why the CPU when a GPU was given (null otherwise)
     */
    public record Choice(String address, int device, String reason) {
        /** @return whether the task runs on a GPU */
        public boolean cuda() {
            return device >= 0;
        }

        /**
         * @return the {@code backend} column: {@code cuda:<n>}, {@code cpu} (no GPU given), or
         *         {@code cpu (gpu <address> given: <reason>)}
         */
        public String backend() {
            if (cuda()) {
                return "cuda:" + device;
            }
            return address == null ? "cpu" : "cpu (gpu " + address + " given: " + reason + ")";
        }

        /**
         * @param why why the GPU could not be used after all
         * @return this task's choice had it been made on the CPU for that reason
         */
        public Choice onCpu(String why) {
            return new Choice(address, -1, why);
        }
    }

    /**
     * The decision (pure; no GPU needed to test it).
     *
     * @param resources      the task's resources: name -> addresses ({@code TaskContext.resources()})
     * @param tasksPerDevice the executor's per-device concurrency limit; 0 turns GPU use off
     * @param availability   CUDA's availability; asked only when a GPU was given
     * @param visibleDevices the executor's {@code CUDA_VISIBLE_DEVICES}, or null
     * @param failed         devices that failed earlier in this executor: ordinal -> why
     * @return the backend with its reason
     */
    public static Choice choose(Map<String, List<String>> resources, int tasksPerDevice, Supplier<CudaAvailability> availability,
                                String visibleDevices, Map<Integer, String> failed) {
        List<String> addresses = resources.getOrDefault(RESOURCE, List.of());
        if (addresses.isEmpty()) {
            return new Choice(null, -1, null);
        }
        String address = addresses.get(0).trim();
        Choice cpu = new Choice(address, -1, null);
        if (tasksPerDevice < 1) {
            return cpu.onCpu(TASKS_PER_DEVICE + "=" + tasksPerDevice + " turns GPU use off");
        }
        CudaAvailability a = availability.get();
        if (!a.available()) {
            return cpu.onCpu(a.reason());
        }
        int ordinal;
        try {
            ordinal = ordinal(address, visibleDevices);
        } catch (InvalidInputException e) {
            return cpu.onCpu(e.getMessage());
        }
        if (ordinal >= a.devices()) {
            return cpu.onCpu("CUDA device " + ordinal + " (gpu address " + address + ") is beyond the " + a.devices()
                    + " device(s) this executor sees");
        }
        String failure = failed.get(ordinal);
        if (failure != null) {
            return cpu.onCpu("cuda:" + ordinal + " failed earlier on this executor: " + failure);
        }
        return new Choice(address, ordinal, null);
    }

    /** Maps a Spark GPU address to a CUDA ordinal, through {@code CUDA_VISIBLE_DEVICES} when it lists indices. */
    static int ordinal(String address, String visibleDevices) {
        int index;
        try {
            index = Integer.parseInt(address);
        } catch (NumberFormatException e) {
            throw new InvalidInputException("gpu address '" + address + "' is not a device index");
        }
        if (index < 0) {
            throw new InvalidInputException("gpu address '" + address + "' is not a device index");
        }
        if (visibleDevices == null || visibleDevices.isBlank()) {
            return index;
        }
        List<Integer> visible = new ArrayList<>();
        for (String v : visibleDevices.split(",")) {
            try {
                visible.add(Integer.parseInt(v.trim()));
            } catch (NumberFormatException e) {
                return index; // UUIDs (GPU-..., MIG-...): the address cannot be matched; take it as the ordinal
            }
        }
        int ordinal = visible.indexOf(index);
        if (ordinal < 0) {
            throw new InvalidInputException("gpu address " + address + " is not among CUDA_VISIBLE_DEVICES=" + visibleDevices);
        }
        return ordinal;
    }

    /**
     * The adapter to Spark: this task's {@code gpu} resource, the executor's limit and CUDA_VISIBLE_DEVICES, the
     * devices that failed here. CUDA is probed only when a GPU was given.
     *
     * @return the current task's choice ({@code cpu} outside a Spark task)
     */
    public static Choice forTask() {
        TaskContext tc = TaskContext.get();
        if (tc == null) {
            return new Choice(null, -1, null);
        }
        Map<String, List<String>> resources = new TreeMap<>();
        scala.Option<ResourceInformation> gpu = tc.resources().get(RESOURCE);
        if (gpu.isDefined()) {
            resources.put(RESOURCE, List.of(gpu.get().addresses()));
        }
        SparkEnv env = SparkEnv.get();
        int limit = SparkSettings.gpuTasksPerDevice(env == null ? null : env.conf());
        return choose(resources, limit, CudaRuntime::availability, System.getenv("CUDA_VISIBLE_DEVICES"), Map.copyOf(FAILED));
    }

    /**
     * Waits for one of the device's permits, {@value #TASKS_PER_DEVICE} of this executor's Spark settings.
     *
     * @param device a CUDA ordinal
     * @return the permit; close it to release
     */
    public static Slots.Permit acquire(int device) {
        SparkEnv env = SparkEnv.get();
        return acquire(device, Math.max(1, SparkSettings.gpuTasksPerDevice(env == null ? null : env.conf())));
    }

    /**
     * Waits for one of the device's {@code tasksPerDevice} permits. The first call fixes the executor's limit
     * (Spark settings do not change during an application).
     *
     * @param device         a CUDA ordinal
     * @param tasksPerDevice the limit, at least 1
     * @return the permit; close it to release
     */
    public static Slots.Permit acquire(int device, int tasksPerDevice) {
        Slots s = slots;
        if (s == null) {
            synchronized (GpuSelection.class) {
                if (slots == null) {
                    slots = new Slots(tasksPerDevice);
                }
                s = slots;
            }
        }
        return s.acquire(device);
    }

    /**
     * @param device a CUDA ordinal
     * @return the executor's context of that device, opened on first use
     * @throws org.axdse.kernel.cuda.CudaFailureException when it cannot be opened
     */
    public static CudaContext context(int device) {
        return CONTEXTS.computeIfAbsent(device, CudaContext::open);
    }

    /**
     * Records that a device failed, so later tasks of this executor run on the CPU at once.
     *
     * @param device a CUDA ordinal
     * @param why    the failure, one line
     */
    public static void markFailed(int device, String why) {
        FAILED.putIfAbsent(device, why);
    }

    /**
     * A semaphore per device: at most {@code perDevice} holders at a time.
     */
    public static final class Slots {
        private final int perDevice;
        private final Map<Integer, Semaphore> semaphores = new ConcurrentHashMap<>();

        /** @param perDevice permits per device, at least 1 */
        public Slots(int perDevice) {
            if (perDevice < 1) {
                throw new InvalidInputException(TASKS_PER_DEVICE + ": expected at least 1 permit per device, got " + perDevice);
            }
            this.perDevice = perDevice;
        }

        /** @return permits per device */
        public int perDevice() {
            return perDevice;
        }

        /**
         * Waits for a permit of {@code device}.
         *
         * @param device a CUDA ordinal
         * @return the permit; close it to release
         * @throws AxdseException when the waiting thread is interrupted (the task is being killed)
         */
        public Permit acquire(int device) {
            Semaphore s = semaphores.computeIfAbsent(device, d -> new Semaphore(perDevice, true));
            try {
                s.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AxdseException("interrupted while waiting for GPU " + device, e);
            }
            return new Permit(s);
        }

        /** One holder's permit; {@link #close()} releases it (once). */
        public static final class Permit implements AutoCloseable {
            private final Semaphore semaphore;
            private boolean released;

            private Permit(Semaphore semaphore) {
                this.semaphore = semaphore;
            }

            @Override
            public void close() {
                if (!released) {
                    released = true;
                    semaphore.release();
                }
            }
        }
    }
}
