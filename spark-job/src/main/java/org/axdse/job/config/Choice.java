package org.axdse.job.config;

/**
 * A setting with a fixed set of values, each spelled in configuration files as {@link #spelling()}. Enums
 * implement it so that keys hold the enum constant, never the text (nothing downstream compares strings).
 */
public interface Choice {
    /** @return how the value is written in a configuration, e.g. {@code per-batch} */
    String spelling();
}
