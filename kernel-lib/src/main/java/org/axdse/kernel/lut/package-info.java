/**
 * Multiplier lookup tables: the {@link org.axdse.kernel.lut.MultiplierTable} type, its file formats
 * ({@link org.axdse.kernel.lut.MultiplierTableFiles}, TFApprox {@code .bin} and signed variants) and
 * its error metrics ({@link org.axdse.kernel.lut.ErrorMetrics}).
 */
package org.axdse.kernel.lut;
