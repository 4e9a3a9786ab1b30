package org.latentlab.cli;

import org.latentlab.data.BuiltinDataset;
import org.latentlab.data.Channels;
import org.latentlab.data.DepthPolicy;
import org.latentlab.data.LoadOptions;
import picocli.CommandLine.Option;

/** Options shared by every command that reads a dataset. */
final class DataOptions {
    @Option(names = "--size", paramLabel = "HxW", description = "resize images, e.g. 32x32 (default: the source size; 64x64 for folders)")
    String size;

    @Option(names = "--channels", description = "convert to GRAY, RGB or RGBD (default: the source layout)")
    Channels channels;

    @Option(names = "--limit", description = "read at most this many images per split (0 = all)", defaultValue = "0")
    int limit;

    @Option(names = "--test-fraction", description = "test share for sources without a split (default ${DEFAULT-VALUE})", defaultValue = "0.2")
    double testFraction;

    @Option(names = "--data-seed", description = "seed for splits and generated data (default ${DEFAULT-VALUE})", defaultValue = "42")
    long seed;

    @Option(names = "--depth-policy", description = "MASK (set bad depth to 0 and count it) or REJECT (default ${DEFAULT-VALUE})", defaultValue = "MASK")
    DepthPolicy depthPolicy;

    @Option(names = "--depth-max", description = "depth in metres that maps to 1.0 (default ${DEFAULT-VALUE})", defaultValue = "10")
    float depthMax;

    @Option(names = "--rooms", description = "rooms: how many training rooms to generate (default " + BuiltinDataset.ROOMS_TRAIN
            + "; the " + BuiltinDataset.ROOMS_TEST + " test rooms stay the same)", defaultValue = "0")
    int rooms;

    LoadOptions toLoadOptions() {
        int h = 0, w = 0;
        if (size != null) {
            String[] parts = size.toLowerCase().split("[x×]");
            if (parts.length != 2) throw new IllegalArgumentException("--size must look like 32x32, not " + size);
            h = Integer.parseInt(parts[0].trim());
            w = Integer.parseInt(parts[1].trim());
            if (h <= 0 || w <= 0 || h > 4096 || w > 4096) throw new IllegalArgumentException("--size out of range: " + size);
        }
        if (rooms < 0) throw new IllegalArgumentException("--rooms must be at least 0, got " + rooms);
        return new LoadOptions(h, w, channels, testFraction, seed, limit, depthPolicy, depthMax, rooms);
    }
}
