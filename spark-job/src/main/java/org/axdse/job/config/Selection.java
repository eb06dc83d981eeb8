package org.axdse.job.config;

import java.util.List;

/**
 * A key that is either {@code all} or a comma-separated list ({@code axdse.multipliers}, {@code axdse.layers}).
 *
 * @param <T>    the item type
 * @param items  the listed items in the written order, or null for {@code all}
 */
public record Selection<T>(List<T> items) {
    /**
     * @param items the listed items, or null for {@code all}
     */
    public Selection {
        items = items == null ? null : List.copyOf(items);
    }

    /** @param <T> the item type
     * @return the selection of everything */
    public static <T> Selection<T> all() {
        return new Selection<>(null);
    }

    /** @return whether the key says {@code all} */
    public boolean isAll() {
        return items == null;
    }

    @Override
    public String toString() {
        return isAll() ? "all" : String.join(",", items.stream().map(String::valueOf).toList());
    }
}
