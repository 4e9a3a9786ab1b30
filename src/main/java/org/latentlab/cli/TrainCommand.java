package org.latentlab.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import org.latentlab.data.Dataset;
import org.latentlab.data.Datasets;
import org.latentlab.data.Normalization;
import org.latentlab.model.Architecture;
import org.latentlab.model.ModelCard;
import org.latentlab.model.ModelStore;
import org.latentlab.model.NativeSetup;
import org.latentlab.model.ReconstructionLoss;
import org.latentlab.model.SpecPresets;
import org.latentlab.model.VaeModel;
import org.latentlab.model.FrozenEncoderSpec;
import org.latentlab.model.VaeSpec;
import org.latentlab.train.TrainOptions;
import org.latentlab.train.Trainer;
import org.latentlab.train.TrainingListener;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code train}: trains a model on a dataset and writes it (atomically) with its model card. */
@Command(name = "train", mixinStandardHelpOptions = true, description = "Train a model and save it with its model card.")
final class TrainCommand implements Callable<Integer> {
    @Option(names = "--data", required = true, description = "built-in dataset name or path") String data;
    @Option(names = "--arch", defaultValue = "CONV_VAE", description = "AUTOENCODER, MLP_VAE, CONV_VAE, VGG_VAE, RESNET_VAE, CONDITIONAL_VAE, MULTI_ENCODER_VAE (default ${DEFAULT-VALUE})") Architecture arch;
    @Option(names = "--latent", defaultValue = "16", description = "latent size 1..2048 (default ${DEFAULT-VALUE})") int latent;
    @Option(names = "--epochs", defaultValue = "5", description = "epochs (default ${DEFAULT-VALUE})") int epochs;
    @Option(names = "--out", required = true, description = "model file to write (.zip)") Path out;
    @Option(names = "--batch", description = "batch size (default: the architecture's)") Integer batch;
    @Option(names = "--lr", description = "Adam learning rate (default: the architecture's)") Double lr;
    @Option(names = "--loss", description = "BCE, MSE or L1 (default: the architecture's)") ReconstructionLoss loss;
    @Option(names = "--k1", description = "reconstruction weight (default 1)") Double k1;
    @Option(names = "--k2", description = "KL weight β (default 1)") Double k2;
    @Option(names = "--warmup", description = "KL warm-up steps (default 0)") Integer warmup;
    @Option(names = "--dropout", description = "dropout probability (default 0)") Double dropout;
    @Option(names = "--hidden", description = "dense sizes, e.g. 400 or 512,256") String hidden;
    @Option(names = "--filters", description = "conv filters, e.g. 32,64") String filters;
    @Option(names = "--normalization", description = "ZERO_ONE or MINUS_ONE_ONE") Normalization normalization;
    @Option(names = "--encoders", description = "multi-encoder class subsets, e.g. '0,1,2,3,4;5,6,7,8,9'") String encoders;
    @Option(names = "--alternation", description = "multi-encoder steps per encoder before switching, e.g. 1,1") String alternation;
    @Option(names = "--frozen-encoder", description = "RESNET_VAE: a DL4J ComputationGraph file (e.g. a zoo ResNet-50) whose prefix runs frozen in front of the trainable encoder") Path frozenEncoder;
    @Option(names = "--frozen-layer", description = "the layer of --frozen-encoder to cut at (its activations feed the trainable encoder)") String frozenLayer;
    @Option(names = "--seed", defaultValue = "42", description = "seed for weights and shuffling (default ${DEFAULT-VALUE})") long seed;
    @Option(names = "--max-steps", defaultValue = "0", description = "cap on steps per epoch (0 = whole set)") int maxSteps;
    @Option(names = "--name", description = "model name on its card (default: the file name)") String name;
    @Option(names = "--threads", description = "threads for the training engine's matrix products and passes (default: every core; "
            + "the app uses one, leaving a core to its window)") Integer threads;

    @Mixin DataOptions dataOptions;
    @Mixin JsonOption jsonOption;
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
        NativeSetup.initNd4j();
        if (threads != null && threads < 1) throw new IllegalArgumentException("--threads must be at least 1, not " + threads);
        NativeSetup.setMatrixThreads(threads != null ? threads : Runtime.getRuntime().availableProcessors());
        CliOutput out = new CliOutput(spec.commandLine().getOut(), jsonOption.json);
        Dataset opened = Datasets.open(data, dataOptions.toLoadOptions());
        // the card records what was passed (a built-in name or a path) so eval/encode can reopen it
        Dataset d = new Dataset(data, opened.format(), opened.source(), opened.train(), opened.test());
        VaeSpec s = buildSpec(d);
        String modelName = name != null ? name : stripZip(this.out.getFileName().toString());
        out.line("training " + s.architecture() + " z=" + s.latentSize() + " on " + d);
        VaeModel model = VaeModel.create(s);
        ProgressBar bar = new ProgressBar("train");
        TrainingListener listener = new TrainingListener() {
            @Override public void onIteration(IterationEvent e) {
                double f = ((e.epoch() - 1) + (double) e.iteration() / e.iterationsPerEpoch()) / epochs;
                bar.update(f, String.format("epoch %d loss %.2f (%.0f samples/s)", e.epoch(), e.total(), e.samplesPerSecond()));
            }
            @Override public void onEpoch(EpochEvent e) {
                bar.done();
                out.line(String.format("epoch %d/%d  train %.3f  test %.3f (recon %.3f, KL %.3f)  %.0f samples/s  %.1f s",
                        e.epoch(), e.epochs(), e.train().total(), e.test().total(), e.test().recon(), e.test().kl(),
                        e.samplesPerSecond(), e.elapsedSeconds()));
            }
        };
        TrainOptions options = TrainOptions.epochs(epochs).withMaxStepsPerEpoch(maxSteps).withName(modelName);
        Trainer trainer = new Trainer(model, d, options, listener, Runnable::run);
        TrainingListener.Finished f = trainer.run();
        out.line("finished: " + f.outcome() + (f.message() == null || f.message().isEmpty() ? "" : " (" + f.message() + ")"));
        ModelCard card = trainer.card(f.outcome().name().toLowerCase());
        Path written = ModelStore.save(model, card, this.out);
        out.line("wrote " + written);
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("outcome", f.outcome().name());
        r.put("model", written.toString());
        r.put("epochs", f.epochsCompleted());
        r.put("test", card.test());
        r.put("train", card.train());
        r.put("trainingSeconds", card.trainingSeconds());
        out.result(r);
        return f.outcome() == TrainingListener.Outcome.COMPLETED || f.outcome() == TrainingListener.Outcome.CANCELLED ? 0 : LatentLabCli.EXIT_FAILURE;
    }

    private static String stripZip(String n) {
        return n.endsWith(".zip") ? n.substring(0, n.length() - 4) : n;
    }

    VaeSpec buildSpec(Dataset d) {
        VaeSpec s = SpecPresets.preset(arch, d.channels(), d.height(), d.width(), latent, d.train().classCount());
        if (hidden != null) s = s.withHiddenSizes(SpecPresets.parseInts(hidden));
        if (filters != null) s = s.withConvFilters(SpecPresets.parseInts(filters));
        if (encoders != null) {
            var subsets = SpecPresets.parseSubsets(encoders);
            var alt = alternation != null ? SpecPresets.parseInts(alternation) : java.util.Collections.nCopies(subsets.size(), 1);
            s = s.withEncoders(subsets, alt);
        }
        s = s.withLoss(loss != null ? loss : s.reconLoss(), k1 != null ? k1 : s.reconWeight(), k2 != null ? k2 : s.klWeight());
        if (warmup != null) s = s.withKlWarmupSteps(warmup);
        if (dropout != null) s = s.withDropout(dropout);
        if (lr != null) s = s.withLearningRate(lr);
        if (batch != null) s = s.withBatchSize(batch);
        if (normalization != null) s = s.withNormalization(normalization);
        if ((frozenEncoder == null) != (frozenLayer == null)) {
            throw new IllegalArgumentException("--frozen-encoder and --frozen-layer go together: give both or neither");
        }
        if (frozenEncoder != null) s = s.withFrozenEncoder(FrozenEncoderSpec.of(frozenEncoder, frozenLayer));
        return s.withSeed(seed).validate();
    }
}
