package org.axdse.kernel.model;

import java.util.Arrays;

/**
 * Where a {@link ForwardPass}'s time goes, summed over the passes it ran while recording
 * ({@link ForwardPass#recordTimes}): each approximable layer (its kernel call, activation quantization
 * included, or its FP32 evaluation), the FP32 operators between layers, and the whole {@code logits} calls.
 * The rest of a call (copying values between steps, prefix bookkeeping) is {@link #otherNanos()}. Thread
 * confined like the pass; {@link #add} combines the records of several threads.
 */
public final class PassTimes {
    private final long[] layerNanos;
    private final long[] layerMacs;
    private long operatorNanos;
    private final java.util.Map<String, Long> operatorNanosByType = new java.util.TreeMap<>();
    private long passNanos;
    private long images;

    /** @param layers the network's approximable layers */
    public PassTimes(int layers) {
        layerNanos = new long[layers];
        layerMacs = new long[layers];
    }

    void layer(int index, long nanos, long macs) {
        layerNanos[index] += nanos;
        layerMacs[index] += macs;
    }

    void operator(String opType, long nanos) {
        operatorNanos += nanos;
        operatorNanosByType.merge(opType, nanos, Long::sum);
    }

    void pass(long nanos, int batch) {
        passNanos += nanos;
        images += batch;
    }

    /**
     * Adds another record of the same network (e.g. another thread's).
     *
     * @param other a record with as many layers
     */
    public void add(PassTimes other) {
        if (other.layerNanos.length != layerNanos.length) {
            throw new IllegalArgumentException("pass times: expected " + layerNanos.length + " layers, got "
                    + other.layerNanos.length);
        }
        for (int i = 0; i < layerNanos.length; i++) {
            layerNanos[i] += other.layerNanos[i];
            layerMacs[i] += other.layerMacs[i];
        }
        operatorNanos += other.operatorNanos;
        other.operatorNanosByType.forEach((k, v) -> operatorNanosByType.merge(k, v, Long::sum));
        passNanos += other.passNanos;
        images += other.images;
    }

    /** @return the number of approximable layers recorded */
    public int layers() {
        return layerNanos.length;
    }

    /** @return nanoseconds in approximable layer {@code i} */
    public long layerNanos(int i) {
        return layerNanos[i];
    }

    /** @return MACs computed by approximable layer {@code i} */
    public long layerMacs(int i) {
        return layerMacs[i];
    }

    /** @return nanoseconds in all approximable layers */
    public long layersNanos() {
        return Arrays.stream(layerNanos).sum();
    }

    /** @return nanoseconds in the FP32 operators between layers */
    public long operatorNanos() {
        return operatorNanos;
    }

    /** @return nanoseconds per FP32 operator type (ONNX op type), sorted by name */
    public java.util.Map<String, Long> operatorNanosByType() {
        return java.util.Collections.unmodifiableMap(operatorNanosByType);
    }

    /** @return nanoseconds of the whole passes */
    public long passNanos() {
        return passNanos;
    }

    /** @return nanoseconds of the passes outside layers and operators */
    public long otherNanos() {
        return passNanos - layersNanos() - operatorNanos;
    }

    /** @return images (with one assignment each) passed */
    public long images() {
        return images;
    }
}
