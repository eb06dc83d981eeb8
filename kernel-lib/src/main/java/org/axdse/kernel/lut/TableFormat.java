package org.axdse.kernel.lut;

/**
 * On-disk encodings of a 256 x 256 table, all little-endian, row-major by byte pattern
 * (entry {@code (a, w)} at element {@code (a & 0xFF) * 256 + (w & 0xFF)}).
 */
public enum TableFormat {
    /** TFApprox {@code .bin}: unsigned 16-bit entries, 131,072 bytes; unsigned tables only. */
    UINT16(2),
    /** Signed 16-bit entries, 131,072 bytes; signed tables. */
    INT16(2),
    /** Signed 32-bit entries, 262,144 bytes; signed tables whose entries exceed 16 bits. */
    INT32(4);

    private final int bytesPerEntry;

    TableFormat(int bytesPerEntry) {
        this.bytesPerEntry = bytesPerEntry;
    }

    /** @return bytes per entry */
    public int bytesPerEntry() {
        return bytesPerEntry;
    }

    /** @return the exact file size of a table in this format */
    public int fileSize() {
        return bytesPerEntry * MultiplierTable.ENTRIES;
    }
}
