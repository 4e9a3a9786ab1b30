package org.latentlab.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.latentlab.data.Dataset;
import org.latentlab.data.ImageSet;
import org.latentlab.model.ModelStore;
import org.latentlab.model.NativeSetup;
import org.latentlab.ui.Snapshots;
import org.latentlab.ui.render.DepthScale;
import org.latentlab.ui.render.Pixels;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code reconstruct}: a PNG with test images (top row) above their reconstructions (bottom row). */
@Command(name = "reconstruct", mixinStandardHelpOptions = true, description = "Write originals above their reconstructions as a PNG.")
final class ReconstructCommand implements Callable<Integer> {
    @Mixin ModelOptions modelOptions;
    @Mixin DataOptions dataOptions;
    @Mixin JsonOption jsonOption;
    @Option(names = "--n", defaultValue = "10", description = "images (default ${DEFAULT-VALUE})") int n;
    @Option(names = "--scale", defaultValue = "3", description = "pixel magnification (default ${DEFAULT-VALUE})") int scale;
    @Option(names = "--out", required = true, description = "PNG file to write") Path out;
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        NativeSetup.initNd4j();
        CliOutput cli = new CliOutput(spec.commandLine().getOut(), jsonOption.json);
        ModelStore.Loaded loaded = modelOptions.load();
        Dataset d = modelOptions.dataset(loaded, dataOptions);
        ImageSet set = d.test().size() > 0 ? d.test() : d.train();
        int count = Math.min(n, set.size());
        int[] idx = new int[count];
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            idx[i] = i;
            labels[i] = Math.max(0, set.label(i));
        }
        float[] batch = new float[count * set.sampleLength()];
        set.fillNormalised(idx, 0, count, loaded.model().spec().normalization(), batch);
        float[][] recon = loaded.model().reconstruct(batch, count, labels);
        List<float[]> cells = new ArrayList<>();
        for (int i = 0; i < count; i++) cells.add(set.sample(i));
        for (int i = 0; i < count; i++) cells.add(loaded.model().toStoredUnits(recon[i], set));
        float[] range = DepthScale.of(set);
        var sheet = Pixels.grid(cells, 2, count, set.channels(), set.height(), set.width(), range[0], range[1]);
        Snapshots.writePng(sheet.toBufferedImage(scale), out);
        cli.line("wrote " + out + ": top row originals, bottom row reconstructions (" + count + " test images)");
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("out", out.toString());
        r.put("images", count);
        cli.result(r);
        return 0;
    }
}
