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
        return split(images, shardSize, shardSize);
    }

    /**
     * @param images     images to cover
     * @param firstShard images of the first shard (racing's first round)
     * @param shardSize  images of each later shard
     * @return the shards, the last one possibly smaller
     */
    public static List<ShardSpec> split(int images, int firstShard, int shardSize) {
        List<ShardSpec> list = new ArrayList<>();
        int from = 0;
        while (from < images) {
            int size = list.isEmpty() ? firstShard : shardSize;
            list.add(new ShardSpec(list.size(), from, Math.min(images, from + size)));
            from += size;
        }
        return list;
    }
}
