package org.axdse.kernel.lut;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

import org.axdse.kernel.InvalidInputException;

/**
 * A validated set of multipliers with their metadata: what {@link MultiplierLibraries#load} reads from a
 * directory of tables and its {@code library.csv}. Names are unique; order is the file's row order.
 * Immutable.
 */
public final class MultiplierLibrary {
    /** A multiplier of the library. */
    public record Entry(MultiplierInfo info, MultiplierTable table) {
        /** @return the multiplier's name */
        public String name() {
            return info.name();
        }
    }

    private final String location;
    private final String version;
    private final String powerUnit;
    private final String areaUnit;
    private final String delayUnit;
    private final Map<String, Entry> entries;

    MultiplierLibrary(String location, String version, String powerUnit, String areaUnit, String delayUnit,
                      List<Entry> entries) {
        this.location = location;
        this.version = version;
        this.powerUnit = powerUnit;
        this.areaUnit = areaUnit;
        this.delayUnit = delayUnit;
        Map<String, Entry> map = new LinkedHashMap<>();
        for (Entry e : entries) {
            if (map.putIfAbsent(e.name(), e) != null) {
                throw new InvalidInputException(location + ": duplicate multiplier name " + e.name());
            }
        }
        this.entries = Collections.unmodifiableMap(map);
    }

    /** @return where the library was read from */
    public String location() {
        return location;
    }

    /**
     * @return the version tag: {@code # version: TAG} in library.csv, else {@code sha256:} and the first 16
     *         hex digits of a hash over every name and table, so two releases that reuse names differ
     */
    public String version() {
        return version;
    }

    /** @return unit of {@link MultiplierInfo#power()}: {@code mw} for a {@code power_mw} column, {@code relative} for our cost model, empty when unstated */
    public String powerUnit() {
        return powerUnit;
    }

    /** @return unit of {@link MultiplierInfo#area()} */
    public String areaUnit() {
        return areaUnit;
    }

    /** @return unit of {@link MultiplierInfo#delay()} */
    public String delayUnit() {
        return delayUnit;
    }

    /** @return the multipliers in row order */
    public List<Entry> entries() {
        return List.copyOf(entries.values());
    }

    /** @return the names in row order */
    public List<String> names() {
        return List.copyOf(entries.keySet());
    }

    /** @return number of multipliers */
    public int size() {
        return entries.size();
    }

    /**
     * @param name a multiplier name
     * @return its entry
     * @throws InvalidInputException naming the library and a few known names when there is none
     */
    public Entry get(String name) {
        Entry e = entries.get(name);
        if (e == null) {
            List<String> known = names();
            String sample = known.stream().limit(8).collect(Collectors.joining(", "));
            throw new InvalidInputException("unknown multiplier '" + name + "' in library " + location + " (" + known.size()
                    + " known: " + sample + (known.size() > 8 ? ", ..." : "") + ")");
        }
        return e;
    }

    /**
     * @param name a multiplier name
     * @return whether the library has it
     */
    public boolean contains(String name) {
        return entries.containsKey(name);
    }

    /**
     * @param signedness operand interpretation
     * @return the first exact multiplier of that signedness, if the library has one
     */
    public Optional<Entry> exact(Signedness signedness) {
        return entries.values().stream()
                .filter(e -> e.table().signedness() == signedness && e.table().isExact()).findFirst();
    }

    /**
     * @param extra more multipliers (e.g. AxTune-d tables)
     * @return a library with {@code extra} appended (names must stay unique)
     */
    public MultiplierLibrary with(List<Entry> extra) {
        List<Entry> all = new ArrayList<>(entries.values());
        all.addAll(extra);
        return new MultiplierLibrary(location, version + (extra.isEmpty() ? "" : "+" + extra.size()), powerUnit,
                areaUnit, delayUnit, all);
    }
}
