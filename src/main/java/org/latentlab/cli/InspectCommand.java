package org.latentlab.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.latentlab.data.Dataset;
import org.latentlab.data.Datasets;
import org.latentlab.data.ImageSet;
import org.latentlab.data.LoadOptions;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code inspect PATH|NAME}: what the readers see in a dataset, or the reader's error. */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "Print format, counts, shape, channels, classes and value ranges of a dataset.")
final class InspectCommand implements Callable<Integer> {
    @Parameters(paramLabel = "PATH|NAME", description = "a built-in dataset name or a file/folder")
    String source;

    @Mixin DataOptions data;
    @Mixin JsonOption jsonOption;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        CliOutput out = new CliOutput(spec.commandLine().getOut(), jsonOption.json);
        long t0 = System.nanoTime();
        Dataset d = Datasets.open(source, data.toLoadOptions());
        double seconds = (System.nanoTime() - t0) / 1e9;
        Map<String, Object> r = describe(d);
        r.put("loadSeconds", Math.round(seconds * 1000) / 1000.0);
        out.line("dataset   " + d.name());
        out.line("format    " + d.format());
        out.line("source    " + d.source());
        out.line("shape     " + d.channels() + " " + d.height() + "×" + d.width() + " (" + d.channels().count() + " channels)");
        out.line("train     " + d.train().size() + " images");
        out.line("test      " + d.test().size() + " images");
        List<String> names = d.train().classNames();
        int[] tr = d.train().classCounts(), te = d.test().classCounts();
        out.line("classes   " + names.size());
        for (int c = 0; c < names.size(); c++) {
            out.line(String.format("  %2d %-24s train %6d  test %6d", c, names.get(c), c < tr.length ? tr[c] : 0, c < te.length ? te[c] : 0));
        }
        float[][] ranges = d.train().size() > 0 ? d.train().valueRanges() : d.test().valueRanges();
        String[] planeNames = planeNames(d);
        for (int c = 0; c < ranges.length; c++) {
            out.line(String.format("range     %-6s %.4f .. %.4f%s", planeNames[c], ranges[c][0], ranges[c][1],
                    d.channels().hasDepth() && c == 3 ? " m" : ""));
        }
        if (d.channels().hasDepth()) {
            out.line("depth     masked pixels (NaN/inf/≤0 → 0): " + (d.train().maskedDepthPixels() + d.test().maskedDepthPixels())
                    + ", normalised by " + d.train().depthMaxMetres() + " m");
        }
        out.line(String.format("loaded in %.2f s", seconds));
        out.result(r);
        return 0;
    }

    static String[] planeNames(Dataset d) {
        return switch (d.channels()) {
            case GRAY -> new String[] {"gray"};
            case RGB -> new String[] {"red", "green", "blue"};
            case RGBD -> new String[] {"red", "green", "blue", "depth"};
        };
    }

    static Map<String, Object> describe(Dataset d) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("name", d.name());
        r.put("format", d.format());
        r.put("source", String.valueOf(d.source()));
        r.put("channels", d.channels().name());
        r.put("height", d.height());
        r.put("width", d.width());
        r.put("train", d.train().size());
        r.put("test", d.test().size());
        r.put("classes", d.train().classNames());
        r.put("trainClassCounts", d.train().classCounts());
        r.put("testClassCounts", d.test().classCounts());
        ImageSet any = d.train().size() > 0 ? d.train() : d.test();
        List<Map<String, Object>> ranges = new ArrayList<>();
        float[][] vr = any.valueRanges();
        String[] names = planeNames(d);
        for (int c = 0; c < vr.length; c++) {
            ranges.add(Map.of("plane", names[c], "min", vr[c][0], "max", vr[c][1]));
        }
        r.put("valueRanges", ranges);
        if (d.channels().hasDepth()) {
            r.put("maskedDepthPixels", d.train().maskedDepthPixels() + d.test().maskedDepthPixels());
            r.put("depthMaxMetres", d.train().depthMaxMetres());
        }
        return r;
    }
}
