package org.latentlab.train.bench;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How often this machine takes the CPU away from a thread that never blocks: a loop that only reads
 * the clock records every gap between two reads. On a quiet desktop the gaps stay well under a
 * millisecond; on a shared virtual machine they show the stalls that every latency figure (decode
 * p99, frame gaps) also contains, whatever the code being measured does.
 */
public record MachineJitter(double seconds, int over1ms, int over10ms, int over100ms, double maxMs) {

    /** Spins on the calling thread for the given time. */
    public static MachineJitter measure(double seconds) {
        long start = System.nanoTime(), end = start + (long) (seconds * 1e9), prev = start, max = 0;
        int over1 = 0, over10 = 0, over100 = 0;
        while (prev < end) {
            long now = System.nanoTime(), gap = now - prev;
            prev = now;
            if (gap > 1_000_000) over1++;
            if (gap > 10_000_000) over10++;
            if (gap > 100_000_000) over100++;
            max = Math.max(max, gap);
        }
        return new MachineJitter(seconds, over1, over10, over100, max / 1e6);
    }

    public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("seconds", seconds);
        m.put("gapsOver1ms", over1ms);
        m.put("gapsOver10ms", over10ms);
        m.put("gapsOver100ms", over100ms);
        m.put("maxGapMs", Math.round(maxMs * 10) / 10.0);
        return m;
    }
}
