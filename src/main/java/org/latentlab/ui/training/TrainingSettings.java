package org.latentlab.ui.training;

import java.util.List;
import java.util.stream.Collectors;
import org.latentlab.data.Channels;
import org.latentlab.data.Dataset;
import org.latentlab.data.Normalization;
import org.latentlab.model.Architecture;
import org.latentlab.model.ReconstructionLoss;
import org.latentlab.model.SpecPresets;
import org.latentlab.model.FrozenEncoderSpec;
import org.latentlab.model.VaeSpec;
import org.latentlab.train.TrainOptions;

/**
 * Every hyper-parameter the Training pane edits, as a JavaBean so ControlsFX's PropertySheet can
 * show one editor per property. {@link #toSpec} starts from the architecture's preset and applies
 * what the user set. The layer sizes show the preset's values for the current architecture and
 * dataset until the user edits them, so the defaults are visible and editable.
 */
public class TrainingSettings {
    private Architecture architecture = Architecture.CONV_VAE;
    private int latentSize = 16;
    private int epochs = 5;
    private int batchSize = 128;
    private double learningRate = 1e-3;
    private ReconstructionLoss reconstructionLoss = ReconstructionLoss.BCE;
    private double reconstructionWeight = 1;
    private double klWeight = 1;
    private int klWarmupSteps = 0;
    private double dropout = 0;
    private String hiddenSizes = "";
    private String convFilters = "";
    private Normalization normalization = Normalization.ZERO_ONE;
    private String encoderClasses = "";
    private long seed = 42;
    private int maxStepsPerEpoch = 0;
    private String frozenEncoderFile = "";
    private String frozenEncoderLayer = "";
    /** Input shape of the dataset last adapted to: the presets' layer sizes depend on it. */
    private Channels channels = Channels.GRAY;
    private int height = 28, width = 28, classes = 10;
    private Runnable onLayerDefaultsChanged = () -> {};

    public TrainingSettings() {
        showPresetLayers();
    }

    /** Called after a change of architecture or dataset has replaced the shown layer sizes. */
    public void whenLayerDefaultsChange(Runnable r) {
        onLayerDefaultsChanged = r;
    }

    public Architecture getArchitecture() { return architecture; }
    public void setArchitecture(Architecture v) {
        if (v == architecture) return;
        boolean untouched = layersArePreset();
        architecture = v;
        if (untouched) {
            showPresetLayers();
            onLayerDefaultsChanged.run();
        }
    }
    public int getLatentSize() { return latentSize; }
    public void setLatentSize(int v) { latentSize = v; }
    public int getEpochs() { return epochs; }
    public void setEpochs(int v) { epochs = v; }
    public int getBatchSize() { return batchSize; }
    public void setBatchSize(int v) { batchSize = v; }
    public double getLearningRate() { return learningRate; }
    public void setLearningRate(double v) { learningRate = v; }
    public ReconstructionLoss getReconstructionLoss() { return reconstructionLoss; }
    public void setReconstructionLoss(ReconstructionLoss v) { reconstructionLoss = v; }
    public double getReconstructionWeight() { return reconstructionWeight; }
    public void setReconstructionWeight(double v) { reconstructionWeight = v; }
    public double getKlWeight() { return klWeight; }
    public void setKlWeight(double v) { klWeight = v; }
    public int getKlWarmupSteps() { return klWarmupSteps; }
    public void setKlWarmupSteps(int v) { klWarmupSteps = v; }
    public double getDropout() { return dropout; }
    public void setDropout(double v) { dropout = v; }
    /** Dense layer sizes, e.g. "400" or "512,256"; blank = the architecture's default. */
    public String getHiddenSizes() { return hiddenSizes; }
    public void setHiddenSizes(String v) { hiddenSizes = v; }
    /** Conv filters per block, e.g. "32,64"; blank = the architecture's default. */
    public String getConvFilters() { return convFilters; }
    public void setConvFilters(String v) { convFilters = v; }
    public Normalization getNormalization() { return normalization; }
    public void setNormalization(Normalization v) { normalization = v; }
    /** Multi-encoder only: class subsets per encoder, e.g. "0,1,2,3,4;5,6,7,8,9"; blank = two halves. */
    public String getEncoderClasses() { return encoderClasses; }
    public void setEncoderClasses(String v) { encoderClasses = v; }
    /** ResNet VAE only: a DL4J ComputationGraph file (e.g. a zoo ResNet-50) run frozen in front of the encoder; blank = none. */
    public String getFrozenEncoderFile() { return frozenEncoderFile; }
    public void setFrozenEncoderFile(String v) { frozenEncoderFile = v == null ? "" : v.strip(); }
    /** The layer of the frozen encoder file whose activations feed the trainable encoder. */
    public String getFrozenEncoderLayer() { return frozenEncoderLayer; }
    public void setFrozenEncoderLayer(String v) { frozenEncoderLayer = v == null ? "" : v.strip(); }
    public long getSeed() { return seed; }
    public void setSeed(long v) { seed = v; }
    /** Cap on steps per epoch for quick demonstrations (0 = whole training set). */
    public int getMaxStepsPerEpoch() { return maxStepsPerEpoch; }
    public void setMaxStepsPerEpoch(int v) { maxStepsPerEpoch = v; }

    /** Sensible loss and range for a dataset: BCE on [0,1] for images, MSE on [-1,1] for RGB-D. */
    public void adaptTo(Dataset d) {
        boolean untouched = layersArePreset();
        channels = d.channels();
        height = d.height();
        width = d.width();
        classes = d.train().classCount();
        if (untouched) showPresetLayers();
        if (d.channels().hasDepth()) {
            reconstructionLoss = ReconstructionLoss.MSE;
            normalization = Normalization.MINUS_ONE_ONE;
        } else if (reconstructionLoss == ReconstructionLoss.MSE && normalization == Normalization.MINUS_ONE_ONE) {
            reconstructionLoss = ReconstructionLoss.BCE;
            normalization = Normalization.ZERO_ONE;
        }
    }

    private VaeSpec preset() {
        return SpecPresets.preset(architecture, channels, height, width, latentSize, classes);
    }

    private static String text(List<Integer> sizes) {
        return sizes.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    /** Whether the layer sizes are blank or the preset's (the user has not set them). */
    private boolean layersArePreset() {
        VaeSpec p = preset();
        return (hiddenSizes.isBlank() || hiddenSizes.replace(" ", "").equals(text(p.hiddenSizes())))
                && (convFilters.isBlank() || convFilters.replace(" ", "").equals(text(p.convFilters())));
    }

    private void showPresetLayers() {
        VaeSpec p = preset();
        hiddenSizes = text(p.hiddenSizes());
        convFilters = p.convBody() ? text(p.convFilters()) : "";
    }

    public VaeSpec toSpec(Dataset d) {
        VaeSpec s = SpecPresets.preset(architecture, d.channels(), d.height(), d.width(), latentSize, d.train().classCount());
        if (!hiddenSizes.isBlank()) s = s.withHiddenSizes(SpecPresets.parseInts(hiddenSizes));
        if (!convFilters.isBlank()) s = s.withConvFilters(SpecPresets.parseInts(convFilters));
        if (architecture == Architecture.MULTI_ENCODER_VAE && !encoderClasses.isBlank()) {
            var subsets = SpecPresets.parseSubsets(encoderClasses);
            s = s.withEncoders(subsets, java.util.Collections.nCopies(subsets.size(), 1));
        }
        s = s.withLoss(reconstructionLoss, reconstructionWeight, klWeight)
                .withKlWarmupSteps(klWarmupSteps).withDropout(dropout).withLearningRate(learningRate)
                .withBatchSize(batchSize).withSeed(seed).withNormalization(normalization);
        if (!frozenEncoderFile.isBlank()) {
            if (architecture != Architecture.RESNET_VAE) throw new IllegalArgumentException("a frozen encoder file is for RESNET_VAE only");
            if (frozenEncoderLayer.isBlank()) throw new IllegalArgumentException("give the frozen encoder's layer to cut at");
            s = s.withFrozenEncoder(FrozenEncoderSpec.of(java.nio.file.Path.of(frozenEncoderFile), frozenEncoderLayer));
        }
        s.validate();
        return s;
    }

    public TrainOptions toOptions(String name) {
        return TrainOptions.epochs(epochs).withMaxStepsPerEpoch(maxStepsPerEpoch).withName(name);
    }
}
