package org.latentlab.cli;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.latentlab.model.ModelStore;
import org.latentlab.model.NativeSetup;
import org.latentlab.model.VaeModel;
import org.latentlab.model.VaeSpec;
import org.latentlab.ui.Snapshots;
import org.latentlab.ui.render.Pixels;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code sample}: a PNG grid of images decoded from z ~ N(0, I). */
@Command(name = "sample", mixinStandardHelpOptions = true, description = "Decode samples from the prior into a PNG grid.")
final class SampleCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, description = "model file") Path model;
    @Option(names = "--n", defaultValue = "64", description = "number of samples (default ${DEFAULT-VALUE})") int n;
    @Option(names = "--seed", defaultValue = "1", description = "seed (default ${DEFAULT-VALUE})") long seed;
    @Option(names = "--class", description = "class to generate (conditional models; default: one row per class)") Integer cls;
    @Option(names = "--scale", defaultValue = "3", description = "pixel magnification (default ${DEFAULT-VALUE})") int scale;
    @Option(names = "--out", required = true, description = "PNG file to write") Path out;
    @Mixin JsonOption jsonOption;
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
        NativeSetup.initNd4j();
        CliOutput cli = new CliOutput(spec.commandLine().getOut(), jsonOption.json);
        ModelStore.Loaded loaded = ModelStore.load(model);
        VaeSpec s = loaded.model().spec();
        int cols = (int) Math.ceil(Math.sqrt(n));
        int rows = (n + cols - 1) / cols;
        float[][] images;
        if (s.conditional() && cls == null) {
            rows = s.classCount();
            java.util.List<float[]> all = new java.util.ArrayList<>();
            for (int c = 0; c < rows; c++) all.addAll(Arrays.asList(loaded.model().sample(cols, seed + c, c)));
            images = all.toArray(new float[0][]);
        } else {
            images = loaded.model().sample(n, seed, cls == null ? 0 : cls);
        }
        float depthMax = loaded.card().depthMaxMetres() > 0 ? loaded.card().depthMaxMetres() : 10f;
        for (int i = 0; i < images.length; i++) images[i] = VaeModel.toStoredUnits(s, images[i], depthMax);
        var sheet = Pixels.grid(Arrays.asList(images), rows, cols, s.channels(), s.height(), s.width(), 0.3f, depthMax);
        Snapshots.writePng(sheet.toBufferedImage(scale), out);
        cli.line("wrote " + out + " (" + images.length + " samples, " + rows + "×" + cols + ")");
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("out", out.toString());
        r.put("samples", images.length);
        cli.result(r);
        return 0;
    }
}
