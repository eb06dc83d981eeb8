package org.axdse.kernel.lut;

/**
 * One row of a library's {@code library.csv}: a multiplier's name, file and published or modelled
 * figures. Unknown numbers are {@code NaN}; units are the library's ({@link MultiplierLibrary#powerUnit()}).
 *
 * @param name       unique name in the library
 * @param file       table file, relative to the library directory
 * @param signedness operand interpretation
 * @param power      power (NaN if unknown)
 * @param area       area (NaN if unknown)
 * @param delay      delay (NaN if unknown)
 * @param source     where the design comes from
 * @param family     design family (e.g. {@code truncated}), empty if unknown
 * @param parameters family parameters (e.g. {@code k=4}), empty if none
 */
public record MultiplierInfo(String name, String file, Signedness signedness, double power, double area, double delay,
                             String source, String family, String parameters) {
}
