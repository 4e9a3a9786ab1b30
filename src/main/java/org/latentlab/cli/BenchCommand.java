package org.latentlab.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.latentlab.data.BuiltinDataset;
import org.latentlab.data.Dataset;
import org.latentlab.data.LoadOptions;
import org.latentlab.data.SyntheticRooms;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code bench}: speed figures, printed (never asserted in tests). */
@Command(name = "bench", mixinStandardHelpOptions = true,
        description = "Measure speed: data loading and generation (data), training/decoding/encoding of the "
                + "reference MLP and conv VAEs on Fashion-MNIST beside PyTorch (train), t-SNE/UMAP/PCA beside scikit-learn (tsne).")
final class BenchCommand implements Callable<Integer> {
    @Option(names = "--only", split = ",", description = "which parts: data, train, tsne (default: all)")
    java.util.List<String> only;

    @Option(names = "--anchors", description = "folder of the reference scripts (default: ../shared/anchors beside the project, when present)")
    Path anchors;

    @Option(names = "--python", defaultValue = "/usr/bin/python3", description = "Python with torch and scikit-learn for the references (default ${DEFAULT-VALUE})")
    String python;

    @Option(names = "--tsne-sizes", split = ",", defaultValue = "2000,5000,10000", description = "t-SNE sizes (default ${DEFAULT-VALUE})")
    int[] tsneSizes;

    @Option(names = "--reps", description = "repetitions per figure (default ${DEFAULT-VALUE})", defaultValue = "3")
    int reps;

    @Mixin JsonOption jsonOption;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        CliOutput out = new CliOutput(spec.commandLine().getOut(), jsonOption.json);
        Map<String, Object> r = new LinkedHashMap<>();
        if (wants("data")) r.put("data", dataBench(out));
        if (wants("train")) r.put("train", AnchorBench.models(out, anchorDir(), python));
        if (wants("tsne")) r.put("tsne", AnchorBench.tsne(out, anchorDir(), tsneSizes));
        out.result(r);
        return 0;
    }

    private Path anchorDir() {
        Path dir = anchors != null ? anchors : org.latentlab.app.AppPaths.home().getParent().resolve("shared").resolve("anchors");
        return java.nio.file.Files.isDirectory(dir) ? dir : null;
    }

    private boolean wants(String part) {
        return only == null || only.isEmpty() || only.contains(part);
    }

    private Map<String, Object> dataBench(CliOutput out) {
        Map<String, Object> r = new LinkedHashMap<>();
        double best = Double.MAX_VALUE;
        int n = 0;
        for (int i = 0; i < reps; i++) {
            long t0 = System.nanoTime();
            Dataset d = BuiltinDataset.MNIST.open(LoadOptions.defaults());
            double s = (System.nanoTime() - t0) / 1e9;
            n = d.train().size();
            best = Math.min(best, s);
            out.line(String.format("load MNIST (train %d + test %d, gzip IDX): %.3f s", d.train().size(), d.test().size(), s));
        }
        r.put("mnistTrainImages", n);
        r.put("mnistLoadSecondsBest", round(best));
        double bestRooms = Double.MAX_VALUE;
        for (int i = 0; i < reps; i++) {
            long t0 = System.nanoTime();
            SyntheticRooms.generate(2000, 64, 64, 1000 + i);
            double s = (System.nanoTime() - t0) / 1e9;
            bestRooms = Math.min(bestRooms, s);
            out.line(String.format("generate 2,000 RGB-D rooms 64×64: %.3f s (%.0f images/s)", s, 2000 / s));
        }
        r.put("rooms2000Seconds", round(bestRooms));
        return r;
    }

    static double round(double v) {
        return Math.round(v * 1000) / 1000.0;
    }
}
