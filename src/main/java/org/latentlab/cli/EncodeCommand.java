package org.latentlab.cli;

import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.latentlab.data.AtomicFiles;
import org.latentlab.data.Dataset;
import org.latentlab.data.ImageSet;
import org.latentlab.data.Normalization;
import org.latentlab.model.Encoded;
import org.latentlab.model.ModelStore;
import org.latentlab.model.NativeSetup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code encode}: latent means and σ of a dataset's images, as CSV. */
@Command(name = "encode", mixinStandardHelpOptions = true, description = "Encode images to latent means (and sigmas) in a CSV file.")
final class EncodeCommand implements Callable<Integer> {
    static final int BATCH = 512;

    @Mixin ModelOptions modelOptions;
    @Mixin DataOptions dataOptions;
    @Mixin JsonOption jsonOption;
    @Option(names = "--split", defaultValue = "test", description = "test or train (default ${DEFAULT-VALUE})") String split;
    @Option(names = "--out", required = true, description = "CSV file to write") Path out;
    @Option(names = "--sigma", description = "also write σ per dimension") boolean sigma;
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        NativeSetup.initNd4j();
        CliOutput cli = new CliOutput(spec.commandLine().getOut(), jsonOption.json);
        ModelStore.Loaded loaded = modelOptions.load();
        Dataset d = modelOptions.dataset(loaded, dataOptions);
        ImageSet set = split.equals("train") ? d.train() : d.test().size() > 0 ? d.test() : d.train();
        var model = loaded.model();
        Normalization norm = model.spec().normalization();
        int z = model.spec().latentSize();
        int len = set.sampleLength();
        ProgressBar bar = new ProgressBar("encode");
        long t0 = System.nanoTime();
        AtomicFiles.write(out, tmp -> {
            try (BufferedWriter w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                StringBuilder header = new StringBuilder("index,label");
                for (int j = 0; j < z; j++) header.append(",mu").append(j);
                if (sigma) for (int j = 0; j < z; j++) header.append(",sigma").append(j);
                w.write(header.append('\n').toString());
                float[] batch = new float[BATCH * len];
                int[] idx = new int[BATCH];
                int[] labels = new int[BATCH];
                for (int from = 0; from < set.size(); from += BATCH) {
                    int n = Math.min(BATCH, set.size() - from);
                    for (int k = 0; k < n; k++) {
                        idx[k] = from + k;
                        labels[k] = Math.max(0, set.label(from + k));
                    }
                    set.fillNormalised(idx, 0, n, norm, batch);
                    Encoded e = model.encode(batch, n, java.util.Arrays.copyOf(labels, n));
                    float[][] sg = sigma ? e.sigma() : null;
                    for (int k = 0; k < n; k++) {
                        StringBuilder row = new StringBuilder().append(from + k).append(',').append(set.label(from + k));
                        for (float v : e.mu()[k]) row.append(',').append(v);
                        if (sigma) for (float v : sg[k]) row.append(',').append(v);
                        w.write(row.append('\n').toString());
                    }
                    bar.update((double) (from + n) / set.size(), (from + n) + " images");
                }
            }
        });
        bar.done();
        double s = (System.nanoTime() - t0) / 1e9;
        cli.line(String.format("wrote %s: %d rows × %d latent dims in %.2f s", out, set.size(), z, s));
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("out", out.toString());
        r.put("rows", set.size());
        r.put("latentSize", z);
        r.put("seconds", s);
        cli.result(r);
        return 0;
    }
}
