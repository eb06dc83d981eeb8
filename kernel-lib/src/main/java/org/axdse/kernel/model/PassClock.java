package org.axdse.kernel.model;

/**
 * Times a {@link ForwardPass}'s steps into the {@link PassTimes} it records to ({@link ForwardPass#recordTimes});
 * while none is set it reads no clock, so a pass that does not record pays nothing. Usage:
 * {@code long t0 = clock.start(); ...; clock.operator("Relu", t0);}.
 */
final class PassClock {
    private PassTimes times;

    /** @param times where later times go, or null to stop recording */
    void recordTo(PassTimes times) {
        this.times = times;
    }

    /** @return now, or 0 when not recording */
    long start() {
        return times == null ? 0 : System.nanoTime();
    }

    /** Adds the time since {@code start} to approximable layer {@code index}, with the MACs it computed. */
    void layer(int index, long start, long macs) {
        if (times != null) {
            times.layer(index, System.nanoTime() - start, macs);
        }
    }

    /** Adds the time since {@code start} to the FP32 operators (of type {@code opType}). */
    void operator(String opType, long start) {
        if (times != null) {
            times.operator(opType, System.nanoTime() - start);
        }
    }

    /** Adds the time since {@code start} as a whole {@code logits} call over {@code batch} images. */
    void pass(long start, int batch) {
        if (times != null) {
            times.pass(System.nanoTime() - start, batch);
        }
    }
}
