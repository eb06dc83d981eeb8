package org.axdse.kernel.lut;

import java.io.Serializable;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

import org.axdse.kernel.InvalidInputException;

/**
 * An 8x8-bit (approximate) multiplier given as a 256 x 256 lookup table of its products.
 *
 * <p>{@code product(a, w)} is the product of activation code {@code a} (row, first operand) and weight
 * code {@code w} (column, second operand); operand order matters because most real tables are not
 * symmetric. Entries are stored row-major by byte pattern: index {@code ((a & 0xFF) << 8) | (w & 0xFF)}.
 *
 * <p>Instances are immutable and safe to share between threads; they are serializable so Spark can ship
 * them to executors.
 */
public final class MultiplierTable implements Serializable {
    private static final long serialVersionUID = 1L;

    /** Operand codes per axis. */
    public static final int SIDE = 256;
    /** Entries in a table. */
    public static final int ENTRIES = SIDE * SIDE;
    /** Largest entry magnitude a signed table may hold (a guard against corrupt int32 files). */
    public static final int MAX_SIGNED_MAGNITUDE = 1 << 20;

    private final String name;
    private final Signedness signedness;
    private final int[] entries;
    private final int maxAbsEntry;
    private transient volatile String sha256;
    /** {@link #hashCode()}, computed once (tables are immutable and serve as cache keys). */
    private transient int hash;

    private MultiplierTable(String name, Signedness signedness, int[] entries, int maxAbsEntry) {
        this.name = name;
        this.signedness = signedness;
        this.entries = entries;
        this.maxAbsEntry = maxAbsEntry;
    }

    /**
     * Builds a table from entries in byte-pattern row-major order, validating the value range.
     *
     * @param name       the multiplier's name (e.g. {@code mul8u_L40})
     * @param signedness operand interpretation
     * @param entries    65,536 products; copied
     * @return the table
     * @throws InvalidInputException on a wrong length or an entry out of range (unsigned: 0..65535;
     *                               signed: |v| &lt;= {@value #MAX_SIGNED_MAGNITUDE})
     */
    public static MultiplierTable of(String name, Signedness signedness, int[] entries) {
        return of(name, signedness, entries, "table " + name);
    }

    /**
     * As {@link #of(String, Signedness, int[])}, naming {@code source} (e.g. a file) in errors.
     *
     * @param name       the multiplier's name
     * @param signedness operand interpretation
     * @param entries    65,536 products; copied
     * @param source     where the entries came from, for error messages
     * @return the table
     */
    public static MultiplierTable of(String name, Signedness signedness, int[] entries, String source) {
        Objects.requireNonNull(signedness, "signedness");
        if (name == null || name.isBlank()) {
            throw new InvalidInputException(source + ": a multiplier table needs a non-blank name");
        }
        if (entries.length != ENTRIES) {
            throw new InvalidInputException(source + ": expected " + ENTRIES + " entries (256 x 256), got " + entries.length);
        }
        int min = signedness == Signedness.UNSIGNED ? 0 : -MAX_SIGNED_MAGNITUDE;
        int max = signedness == Signedness.UNSIGNED ? 0xFFFF : MAX_SIGNED_MAGNITUDE;
        int maxAbs = 0;
        for (int i = 0; i < ENTRIES; i++) {
            int v = entries[i];
            if (v < min || v > max) {
                int a = signedness.codeOf(i >>> 8);
                int w = signedness.codeOf(i & 0xFF);
                throw new InvalidInputException(source + ": entry [a=" + a + "][w=" + w + "] = " + v
                        + " is out of range for a " + signedness.name().toLowerCase() + " table (expected "
                        + min + ".." + max + ")");
            }
            maxAbs = Math.max(maxAbs, Math.abs(v));
        }
        return new MultiplierTable(name, signedness, entries.clone(), maxAbs);
    }

    /**
     * @param signedness operand interpretation
     * @return the exact multiplier ({@code mul8u_exact} / {@code mul8s_exact})
     */
    public static MultiplierTable exact(Signedness signedness) {
        int[] e = new int[ENTRIES];
        for (int i = 0; i < ENTRIES; i++) {
            e[i] = signedness.codeOf(i >>> 8) * signedness.codeOf(i & 0xFF);
        }
        String name = signedness == Signedness.UNSIGNED ? "mul8u_exact" : "mul8s_exact";
        return of(name, signedness, e);
    }

    /** @return the multiplier's name */
    public String name() {
        return name;
    }

    /** @return operand interpretation */
    public Signedness signedness() {
        return signedness;
    }

    /**
     * @param a activation code (row), in the signedness's code range
     * @param w weight code (column)
     * @return the table's product
     */
    public int product(int a, int w) {
        return entries[((a & 0xFF) << 8) | (w & 0xFF)];
    }

    /**
     * @param index {@code (aPattern << 8) | wPattern}
     * @return the entry at that index
     */
    public int entry(int index) {
        return entries[index];
    }

    /** @return a copy of all entries in byte-pattern row-major order */
    public int[] entries() {
        return entries.clone();
    }

    /** @return the largest |entry|, used to prove int32 accumulators cannot overflow */
    public int maxAbsEntry() {
        return maxAbsEntry;
    }

    /** @return whether {@code product(a, w) == product(w, a)} for all codes */
    public boolean isSymmetric() {
        for (int a = 0; a < SIDE; a++) {
            for (int w = a + 1; w < SIDE; w++) {
                if (entries[(a << 8) | w] != entries[(w << 8) | a]) {
                    return false;
                }
            }
        }
        return true;
    }

    /** @return whether every entry equals the exact product */
    public boolean isExact() {
        for (int i = 0; i < ENTRIES; i++) {
            if (entries[i] != signedness.codeOf(i >>> 8) * signedness.codeOf(i & 0xFF)) {
                return false;
            }
        }
        return true;
    }

    /**
     * @param newName the copy's name
     * @return the same products under another name
     */
    public MultiplierTable renamed(String newName) {
        return of(newName, signedness, entries);
    }

    /**
     * SHA-256 over the signedness and the entries as little-endian int32, so it identifies the
     * products independently of the file format they were stored in.
     *
     * @return lowercase hex digest
     */
    public String contentSha256() {
        String cached = sha256;
        if (cached == null) {
            cached = computeSha256();
            sha256 = cached;
        }
        return cached;
    }

    private String computeSha256() {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            md.update((byte) signedness.ordinal());
            byte[] buf = new byte[4 * ENTRIES];
            for (int i = 0; i < ENTRIES; i++) {
                int v = entries[i];
                buf[4 * i] = (byte) v;
                buf[4 * i + 1] = (byte) (v >>> 8);
                buf[4 * i + 2] = (byte) (v >>> 16);
                buf[4 * i + 3] = (byte) (v >>> 24);
            }
            return HexFormat.of().formatHex(md.digest(buf));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by every Java platform", e);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MultiplierTable t && name.equals(t.name) && signedness == t.signedness
                && Arrays.equals(entries, t.entries);
    }

    @Override
    public int hashCode() {
        int h = hash;
        if (h == 0) {
            h = 31 * name.hashCode() + Arrays.hashCode(entries);
            hash = h;
        }
        return h;
    }

    @Override
    public String toString() {
        return name + " (" + signedness.name().toLowerCase() + ", max |entry| " + maxAbsEntry + ")";
    }
}
