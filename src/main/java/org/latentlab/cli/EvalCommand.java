package org.latentlab.cli;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.latentlab.data.Dataset;
import org.latentlab.model.Metrics;
import org.latentlab.model.ModelStore;
import org.latentlab.model.NativeSetup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code eval}: test loss, reconstruction and KL of a model on a dataset's test split. */
@Command(name = "eval", mixinStandardHelpOptions = true, description = "Evaluate a model: test loss, reconstruction, KL, ELBO.")
final class EvalCommand implements Callable<Integer> {
    @Mixin ModelOptions modelOptions;
    @Mixin DataOptions dataOptions;
    @Mixin JsonOption jsonOption;
    @Option(names = "--split", defaultValue = "test", description = "test or train (default ${DEFAULT-VALUE})") String split;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        NativeSetup.initNd4j();
        CliOutput out = new CliOutput(spec.commandLine().getOut(), jsonOption.json);
        ModelStore.Loaded loaded = modelOptions.load();
        Dataset d = modelOptions.dataset(loaded, dataOptions);
        var set = split.equals("train") ? d.train() : d.test().size() > 0 ? d.test() : d.train();
        long t0 = System.nanoTime();
        Metrics m = loaded.model().evaluate(set, 0);
        double s = (System.nanoTime() - t0) / 1e9;
        out.line("model     " + loaded.card().name() + " (" + loaded.model().spec().architecture() + ", z=" + loaded.model().spec().latentSize() + ")");
        out.line("data      " + d.name() + " " + split + " (" + m.count() + " images)");
        out.line(String.format("total     %.4f per image (k1·recon + k2·KL)", m.total()));
        out.line(String.format("recon     %.4f per image (%s)", m.recon(), loaded.model().spec().reconLoss()));
        out.line(String.format("KL        %.4f nats per image", m.kl()));
        out.line(Double.isNaN(m.negElbo()) ? "ELBO      n/a (MSE/L1 are not likelihoods)" : String.format("ELBO      %.4f nats per image (−ELBO %.4f)", m.elbo(), m.negElbo()));
        out.line(String.format("time      %.2f s", s));
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("model", modelOptions.model.toString());
        r.put("data", d.name());
        r.put("split", split);
        r.put("count", m.count());
        r.put("total", m.total());
        r.put("recon", m.recon());
        r.put("kl", m.kl());
        r.put("elbo", Double.isNaN(m.negElbo()) ? null : m.elbo());
        out.result(r);
        return 0;
    }
}
