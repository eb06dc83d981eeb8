package org.axdse.kernel.conv;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;

import org.junit.jupiter.api.Test;

/** The warm-up's dummy layers are valid kernels on every code path (an invalid one would throw here). */
class KernelWarmUpTest {
    @Test
    void dummyLayersRunOnEveryPath() {
        assertDoesNotThrow(() -> KernelWarmUp.run(3));
    }
}
