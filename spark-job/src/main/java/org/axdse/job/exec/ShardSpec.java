package org.axdse.job.exec;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * A contiguous range of the evaluated images: images {@code [from, to)} of the split in file order, so any
 * sharding of the same N images sees the same images.
 *
 * @param id   shard index
 * @param from first image
 * @param to   end (exclusive)
 */
public record ShardSpec(int id, int from, int to) implements Serializable {
    /**
     * @param images    images to cover
     * @param shardSize images per shard
     * @return the shards, the last one possibly smaller
     */
    public static List<ShardSpec> split(int images, int shardSize) {
        List<ShardSpec> list = new ArrayList<>();
        for (int from = 0, id = 0; from < images; from += shardSize, id++) {
            list.add(new ShardSpec(id, from, Math.min(images, from + shardSize)));
        }
        return list;
    }
}
