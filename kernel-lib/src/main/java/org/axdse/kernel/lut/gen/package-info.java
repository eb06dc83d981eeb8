/**
 * Generators of approximate 8x8 multipliers from published designs (truncated and broken arrays,
 * partial-product perforation, operand truncation, DRUM, Mitchell and iterative logarithmic multipliers,
 * Kulkarni's underdesigned blocks), each unsigned and signed, with a transparent cell-count
 * {@link org.axdse.kernel.lut.gen.CostModel}. {@link org.axdse.kernel.lut.gen.GeneratedLibrary} is the
 * library shipped in {@code luts/}.
 */
package org.axdse.kernel.lut.gen;
