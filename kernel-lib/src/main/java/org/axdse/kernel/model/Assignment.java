package org.axdse.kernel.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;

import org.axdse.kernel.InvalidInputException;
import org.axdse.kernel.lut.MultiplierLibrary;
import org.axdse.kernel.lut.MultiplierTable;

/**
 * A multiplier per approximable layer, in layer order; {@code null} (written {@value #EXACT_FP32}) keeps a
 * layer in FP32.
 */
public final class Assignment {
    /** The name that keeps a layer in FP32. */
    public static final String EXACT_FP32 = "exact-fp32";

    private final List<MultiplierTable> tables;

    private Assignment(List<MultiplierTable> tables) {
        this.tables = Collections.unmodifiableList(new ArrayList<>(tables));
    }

    /**
     * @param tables one per layer, null for FP32
     * @return the assignment
     */
    public static Assignment of(List<MultiplierTable> tables) {
        return new Assignment(tables);
    }

    /**
     * The one mapping from multiplier names to tables.
     *
     * @param names  one per layer: a multiplier name or {@value #EXACT_FP32}
     * @param tables looks a name up (e.g. {@code n -> library.get(n).table()}); never asked for {@value #EXACT_FP32}
     * @return the assignment
     */
    public static Assignment ofNames(List<String> names, java.util.function.Function<String, MultiplierTable> tables) {
        List<MultiplierTable> t = new ArrayList<>(names.size());
        for (String name : names) {
            t.add(name.equals(EXACT_FP32) ? null : tables.apply(name));
        }
        return new Assignment(t);
    }

    /**
     * @param table  a multiplier for every layer (null: FP32 everywhere)
     * @param layers number of layers
     * @return the uniform assignment
     */
    public static Assignment uniform(MultiplierTable table, int layers) {
        return new Assignment(Collections.nCopies(layers, table));
    }

    /**
     * Parses names against a library: one name for all layers, or exactly one per layer.
     *
     * @param names   multiplier names or {@value #EXACT_FP32}
     * @param library where names are looked up
     * @param network the network (for its layer count)
     * @return the assignment
     * @throws InvalidInputException on a wrong count or an unknown name
     */
    public static Assignment parse(List<String> names, MultiplierLibrary library, Network network) {
        int n = network.layers().size();
        if (names.size() != 1 && names.size() != n) {
            throw new InvalidInputException("assignment: expected 1 multiplier name or " + n + " (one per approximable layer of "
                    + network.source() + "), got " + names.size() + ": " + names);
        }
        List<String> perLayer = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            perLayer.add(names.get(names.size() == 1 ? 0 : i).trim());
        }
        return ofNames(perLayer, name -> library.get(name).table());
    }

    /** @return the tables, null for FP32 layers */
    public List<MultiplierTable> tables() {
        return tables;
    }

    /**
     * @param layer a layer index
     * @return its multiplier, or null for FP32
     */
    public MultiplierTable table(int layer) {
        return tables.get(layer);
    }

    /** @return one name per layer */
    public List<String> names() {
        return tables.stream().map(t -> t == null ? EXACT_FP32 : t.name()).toList();
    }

    /**
     * Identity of each layer's choice: the table's name and content hash (two releases of a library may
     * reuse a name for different products), or {@value #EXACT_FP32}.
     *
     * @return one key per layer
     */
    public List<String> keys() {
        return tables.stream().map(t -> t == null ? EXACT_FP32 : t.name() + "@" + t.signedness() + ":" + t.contentSha256()).toList();
    }

    /**
     * @param other another assignment
     * @return how many leading layers the two share (same name and same products)
     */
    public int commonPrefix(Assignment other) {
        List<String> a = keys();
        List<String> b = other.keys();
        int k = 0;
        while (k < a.size() && k < b.size() && a.get(k).equals(b.get(k))) {
            k++;
        }
        return k;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Assignment a && a.keys().equals(keys());
    }

    @Override
    public int hashCode() {
        return keys().hashCode();
    }

    @Override
    public String toString() {
        return Arrays.toString(names().toArray());
    }
}
