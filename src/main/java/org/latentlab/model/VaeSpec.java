package org.latentlab.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.util.ArrayList;
import java.util.List;
import org.latentlab.data.Channels;
import org.latentlab.data.Normalization;

/**
 * Everything needed to build and train a model: architecture, input shape, loss, optimiser and
 * seed. Immutable, JSON round-trip exact ({@link #toJson()} / {@link #fromJson(String)}). Use the
 * presets ({@link #mlp}, {@link #conv}, ...) and the {@code with...} methods, then {@link #validate()}.
 *
 * @param architecture   model family
 * @param channels       input layout (GRAY, RGB, RGBD)
 * @param height         input height in pixels
 * @param width          input width in pixels
 * @param normalization  value range the model sees; BCE needs ZERO_ONE. Output activation is sigmoid
 *                       for ZERO_ONE and tanh for MINUS_ONE_ONE
 * @param latentSize     1..2048
 * @param hiddenSizes    dense hidden layer widths of the encoder (decoder mirrors them)
 * @param convFilters    filters per conv stage (conv, VGG, ResNet; conditional / multi-encoder /
 *                       autoencoder use a conv body when non-empty, an MLP body otherwise)
 * @param reconLoss      reconstruction loss
 * @param reconWeight    k1
 * @param klWeight       k2 (β of a β-VAE)
 * @param klWarmupSteps  KL weight rises linearly from 0 to k2 over this many steps (0 = none)
 * @param dropout        drop probability on the dense hidden layers in training, [0, 0.9]
 * @param learningRate   Adam learning rate
 * @param beta1          Adam β1
 * @param beta2          Adam β2
 * @param batchSize      training batch size
 * @param seed           seed for weights, shuffling, sampling noise and dropout
 * @param classCount     number of classes (conditional and multi-encoder models; 0 otherwise)
 * @param encoderClasses class subsets, one per encoder (multi-encoder)
 * @param alternation    consecutive training steps per encoder in one cycle (multi-encoder), e.g. [2, 5]
 * @param poolDownsample VGG: down-sample with 2×2 max pooling (true) or a stride-2 conv (false)
 * @param frozenEncoder  ResNet VAE: a user-supplied DL4J graph whose prefix runs frozen in front of
 *                       the trainable encoder, or null (the encoder trains from scratch)
 */
@JsonIgnoreProperties(ignoreUnknown = false)
public record VaeSpec(
        Architecture architecture,
        Channels channels,
        int height,
        int width,
        Normalization normalization,
        int latentSize,
        List<Integer> hiddenSizes,
        List<Integer> convFilters,
        ReconstructionLoss reconLoss,
        double reconWeight,
        double klWeight,
        int klWarmupSteps,
        double dropout,
        double learningRate,
        double beta1,
        double beta2,
        int batchSize,
        long seed,
        int classCount,
        List<List<Integer>> encoderClasses,
        List<Integer> alternation,
        boolean poolDownsample,
        FrozenEncoderSpec frozenEncoder) {

    public static final int MAX_LATENT = 2048;
    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    public VaeSpec {
        hiddenSizes = hiddenSizes == null ? List.of() : List.copyOf(hiddenSizes);
        convFilters = convFilters == null ? List.of() : List.copyOf(convFilters);
        List<List<Integer>> ec = new ArrayList<>();
        if (encoderClasses != null) for (List<Integer> l : encoderClasses) ec.add(List.copyOf(l));
        encoderClasses = List.copyOf(ec);
        alternation = alternation == null ? List.of() : List.copyOf(alternation);
    }

    // ---------------------------------------------------------------- presets

    /** The anchors' MLP VAE: 784-400-z ReLU, sigmoid output, BCE, Adam 1e-3, batch 128 (for 28×28 GRAY, z=20). */
    public static VaeSpec mlp(Channels ch, int h, int w, int latent) {
        return new VaeSpec(Architecture.MLP_VAE, ch, h, w, Normalization.ZERO_ONE, latent, List.of(400), List.of(),
                ReconstructionLoss.BCE, 1, 1, 0, 0, 1e-3, 0.9, 0.999, 128, 42, 0, List.of(), List.of(), false, null);
    }

    /** The anchors' conv VAE: conv 32/64 stride 2, dense 256, BCE (for 28×28×1, z=16 or 2). */
    public static VaeSpec conv(Channels ch, int h, int w, int latent) {
        return new VaeSpec(Architecture.CONV_VAE, ch, h, w, Normalization.ZERO_ONE, latent, List.of(256), List.of(32, 64),
                ReconstructionLoss.BCE, 1, 1, 0, 0, 1e-3, 0.9, 0.999, 128, 42, 0, List.of(), List.of(), false, null);
    }

    /** Plain autoencoder with an MLP body (no sampling, no KL). */
    public static VaeSpec autoencoder(Channels ch, int h, int w, int latent) {
        return mlp(ch, h, w, latent).withArchitecture(Architecture.AUTOENCODER);
    }

    /** VGG-style VAE: 3 blocks of two 3×3 convs (32/64/128), max pooling, dense 256. Needs h, w divisible by 8. */
    public static VaeSpec vgg(Channels ch, int h, int w, int latent) {
        return new VaeSpec(Architecture.VGG_VAE, ch, h, w, Normalization.ZERO_ONE, latent, List.of(256), List.of(32, 64, 128),
                ReconstructionLoss.BCE, 1, 1, 0, 0, 1e-3, 0.9, 0.999, 64, 42, 0, List.of(), List.of(), true, null);
    }

    /** ResNet-style RGB-D VAE: data in [-1,1], tanh output, MSE; stages 32/64/128. Needs h, w divisible by 8. */
    public static VaeSpec resnet(Channels ch, int h, int w, int latent) {
        return new VaeSpec(Architecture.RESNET_VAE, ch, h, w, Normalization.MINUS_ONE_ONE, latent, List.of(256), List.of(32, 64, 128),
                ReconstructionLoss.MSE, 1, 1, 0, 0, 1e-3, 0.9, 0.999, 32, 42, 0, List.of(), List.of(), false, null);
    }

    /** Conditional VAE with an MLP body (784-400-z for MNIST-like data). */
    public static VaeSpec conditional(Channels ch, int h, int w, int latent, int classes) {
        return new VaeSpec(Architecture.CONDITIONAL_VAE, ch, h, w, Normalization.ZERO_ONE, latent, List.of(400), List.of(),
                ReconstructionLoss.BCE, 1, 1, 0, 0, 1e-3, 0.9, 0.999, 128, 42, classes, List.of(), List.of(), false, null);
    }

    /**
     * Multi-encoder VAE (seed paper 001) with MLP encoders: one encoder per class subset, one decoder,
     * alternation e.g. [2, 5] = 2 steps of encoder 0 then 5 of encoder 1.
     */
    public static VaeSpec multiEncoder(Channels ch, int h, int w, int latent, int classes,
                                       List<List<Integer>> subsets, List<Integer> alternation) {
        return new VaeSpec(Architecture.MULTI_ENCODER_VAE, ch, h, w, Normalization.ZERO_ONE, latent, List.of(400), List.of(),
                ReconstructionLoss.BCE, 1, 1, 0, 0, 1e-3, 0.9, 0.999, 64, 42, classes, subsets, alternation, false, null);
    }

    // ---------------------------------------------------------------- withers

    public VaeSpec withArchitecture(Architecture a) { return new VaeSpec(a, channels, height, width, normalization, latentSize, hiddenSizes, convFilters, reconLoss, reconWeight, klWeight, klWarmupSteps, dropout, learningRate, beta1, beta2, batchSize, seed, classCount, encoderClasses, alternation, poolDownsample, frozenEncoder); }
    public VaeSpec withLatentSize(int z) { return new VaeSpec(architecture, channels, height, width, normalization, z, hiddenSizes, convFilters, reconLoss, reconWeight, klWeight, klWarmupSteps, dropout, learningRate, beta1, beta2, batchSize, seed, classCount, encoderClasses, alternation, poolDownsample, frozenEncoder); }
    public VaeSpec withHiddenSizes(List<Integer> h) { return new VaeSpec(architecture, channels, height, width, normalization, latentSize, h, convFilters, reconLoss, reconWeight, klWeight, klWarmupSteps, dropout, learningRate, beta1, beta2, batchSize, seed, classCount, encoderClasses, alternation, poolDownsample, frozenEncoder); }
    public VaeSpec withConvFilters(List<Integer> f) { return new VaeSpec(architecture, channels, height, width, normalization, latentSize, hiddenSizes, f, reconLoss, reconWeight, klWeight, klWarmupSteps, dropout, learningRate, beta1, beta2, batchSize, seed, classCount, encoderClasses, alternation, poolDownsample, frozenEncoder); }
    public VaeSpec withLoss(ReconstructionLoss l, double k1, double k2) { return new VaeSpec(architecture, channels, height, width, normalization, latentSize, hiddenSizes, convFilters, l, k1, k2, klWarmupSteps, dropout, learningRate, beta1, beta2, batchSize, seed, classCount, encoderClasses, alternation, poolDownsample, frozenEncoder); }
    public VaeSpec withNormalization(Normalization n) { return new VaeSpec(architecture, channels, height, width, n, latentSize, hiddenSizes, convFilters, reconLoss, reconWeight, klWeight, klWarmupSteps, dropout, learningRate, beta1, beta2, batchSize, seed, classCount, encoderClasses, alternation, poolDownsample, frozenEncoder); }
    public VaeSpec withKlWarmupSteps(int s) { return new VaeSpec(architecture, channels, height, width, normalization, latentSize, hiddenSizes, convFilters, reconLoss, reconWeight, klWeight, s, dropout, learningRate, beta1, beta2, batchSize, seed, classCount, encoderClasses, alternation, poolDownsample, frozenEncoder); }
    public VaeSpec withDropout(double p) { return new VaeSpec(architecture, channels, height, width, normalization, latentSize, hiddenSizes, convFilters, reconLoss, reconWeight, klWeight, klWarmupSteps, p, learningRate, beta1, beta2, batchSize, seed, classCount, encoderClasses, alternation, poolDownsample, frozenEncoder); }
    public VaeSpec withAdam(double lr, double b1, double b2) { return new VaeSpec(architecture, channels, height, width, normalization, latentSize, hiddenSizes, convFilters, reconLoss, reconWeight, klWeight, klWarmupSteps, dropout, lr, b1, b2, batchSize, seed, classCount, encoderClasses, alternation, poolDownsample, frozenEncoder); }
    public VaeSpec withLearningRate(double lr) { return withAdam(lr, beta1, beta2); }
    public VaeSpec withBatchSize(int b) { return new VaeSpec(architecture, channels, height, width, normalization, latentSize, hiddenSizes, convFilters, reconLoss, reconWeight, klWeight, klWarmupSteps, dropout, learningRate, beta1, beta2, b, seed, classCount, encoderClasses, alternation, poolDownsample, frozenEncoder); }
    public VaeSpec withSeed(long s) { return new VaeSpec(architecture, channels, height, width, normalization, latentSize, hiddenSizes, convFilters, reconLoss, reconWeight, klWeight, klWarmupSteps, dropout, learningRate, beta1, beta2, batchSize, s, classCount, encoderClasses, alternation, poolDownsample, frozenEncoder); }
    public VaeSpec withClassCount(int k) { return new VaeSpec(architecture, channels, height, width, normalization, latentSize, hiddenSizes, convFilters, reconLoss, reconWeight, klWeight, klWarmupSteps, dropout, learningRate, beta1, beta2, batchSize, seed, k, encoderClasses, alternation, poolDownsample, frozenEncoder); }
    public VaeSpec withEncoders(List<List<Integer>> subsets, List<Integer> alt) { return new VaeSpec(architecture, channels, height, width, normalization, latentSize, hiddenSizes, convFilters, reconLoss, reconWeight, klWeight, klWarmupSteps, dropout, learningRate, beta1, beta2, batchSize, seed, classCount, subsets, alt, poolDownsample, frozenEncoder); }
    public VaeSpec withFrozenEncoder(FrozenEncoderSpec f) { return new VaeSpec(architecture, channels, height, width, normalization, latentSize, hiddenSizes, convFilters, reconLoss, reconWeight, klWeight, klWarmupSteps, dropout, learningRate, beta1, beta2, batchSize, seed, classCount, encoderClasses, alternation, poolDownsample, f); }
    public VaeSpec withPoolDownsample(boolean p) { return new VaeSpec(architecture, channels, height, width, normalization, latentSize, hiddenSizes, convFilters, reconLoss, reconWeight, klWeight, klWarmupSteps, dropout, learningRate, beta1, beta2, batchSize, seed, classCount, encoderClasses, alternation, p, frozenEncoder); }

    // ---------------------------------------------------------------- derived

    /** Values per sample: channels × height × width. */
    public int inputSize() {
        return channels.count() * height * width;
    }

    /** Whether conditional / multi-encoder / autoencoder models use a conv body. */
    public boolean convBody() {
        return switch (architecture) {
            case CONV_VAE, VGG_VAE, RESNET_VAE -> true;
            case MLP_VAE -> false;
            default -> !convFilters.isEmpty();
        };
    }

    public boolean conditional() {
        return architecture == Architecture.CONDITIONAL_VAE;
    }

    /** Number of encoders (1 except for the multi-encoder model). */
    public int encoderCount() {
        return architecture == Architecture.MULTI_ENCODER_VAE ? encoderClasses.size() : 1;
    }

    /** Down-sampling factor of the conv body (2 per stage). */
    public int downsampleFactor() {
        return convBody() ? 1 << convFilters.size() : 1;
    }

    // ---------------------------------------------------------------- validation

    /** Throws IllegalArgumentException listing every problem, one per line. */
    public VaeSpec validate() {
        List<String> p = new ArrayList<>();
        if (architecture == null) p.add("architecture is missing");
        if (channels == null) p.add("channels are missing");
        if (normalization == null) p.add("normalization is missing");
        if (reconLoss == null) p.add("reconstruction loss is missing");
        if (height < 1 || width < 1) p.add("image size must be positive, got " + height + "×" + width);
        if (latentSize < 1 || latentSize > MAX_LATENT) p.add("latent size must be 1.." + MAX_LATENT + ", got " + latentSize);
        for (int h : hiddenSizes) if (h < 1 || h > 16384) p.add("hidden size must be 1..16384, got " + h);
        for (int f : convFilters) if (f < 1 || f > 1024) p.add("conv filters must be 1..1024, got " + f);
        if (!(reconWeight > 0) || !Double.isFinite(reconWeight)) p.add("reconstruction weight k1 must be > 0, got " + reconWeight);
        if (!(klWeight >= 0) || !Double.isFinite(klWeight)) p.add("KL weight k2 must be >= 0, got " + klWeight);
        if (klWarmupSteps < 0) p.add("KL warm-up steps must be >= 0, got " + klWarmupSteps);
        if (!(dropout >= 0 && dropout <= 0.9)) p.add("dropout must be in [0, 0.9], got " + dropout);
        if (!(learningRate > 0) || !Double.isFinite(learningRate)) p.add("learning rate must be > 0, got " + learningRate);
        if (!(beta1 >= 0 && beta1 < 1)) p.add("Adam beta1 must be in [0,1), got " + beta1);
        if (!(beta2 >= 0 && beta2 < 1)) p.add("Adam beta2 must be in [0,1), got " + beta2);
        if (batchSize < 1 || batchSize > 65536) p.add("batch size must be 1..65536, got " + batchSize);
        if (reconLoss == ReconstructionLoss.BCE && normalization == Normalization.MINUS_ONE_ONE)
            p.add("BCE needs data in [0,1]: use normalization ZERO_ONE, or MSE/L1 for [-1,1]");
        if (frozenEncoder != null) {
            if (architecture != Architecture.RESNET_VAE) p.add("a frozen encoder prefix is for RESNET_VAE only, got " + architecture);
            if (channels == Channels.GRAY) p.add("a frozen encoder prefix reads RGB: channels must be RGB or RGBD, got GRAY");
            p.addAll(frozenEncoder.problems());
        }
        if (architecture != null) {
            switch (architecture) {
                case MLP_VAE -> { if (hiddenSizes.isEmpty()) p.add("MLP_VAE needs at least one hidden size"); }
                case CONV_VAE, VGG_VAE, RESNET_VAE -> {
                    if (convFilters.isEmpty()) p.add(architecture + " needs conv filters, e.g. [32, 64]");
                    if (architecture == Architecture.VGG_VAE && convFilters.size() != 3) p.add("VGG_VAE has 3 blocks: give 3 conv filter counts, got " + convFilters.size());
                }
                case CONDITIONAL_VAE -> { if (classCount < 2) p.add("CONDITIONAL_VAE needs a class count >= 2, got " + classCount); }
                case MULTI_ENCODER_VAE -> {
                    if (classCount < 2) p.add("MULTI_ENCODER_VAE needs a class count >= 2, got " + classCount);
                    if (encoderClasses.size() < 2) p.add("MULTI_ENCODER_VAE needs at least 2 encoder class subsets, got " + encoderClasses.size());
                    if (alternation.size() != encoderClasses.size()) p.add("alternation needs one step count per encoder: " + encoderClasses.size() + " encoders, " + alternation.size() + " counts");
                    for (int a : alternation) if (a < 1) p.add("alternation step counts must be >= 1, got " + a);
                    for (int e = 0; e < encoderClasses.size(); e++) {
                        if (encoderClasses.get(e).isEmpty()) p.add("encoder " + e + " has no classes");
                        for (int c : encoderClasses.get(e)) if (c < 0 || c >= classCount) p.add("encoder " + e + " class " + c + " is outside 0.." + (classCount - 1));
                    }
                }
                default -> { }
            }
            if (convBody() && !convFilters.isEmpty() && height > 0 && width > 0) {
                int f = downsampleFactor();
                if (height % f != 0 || width % f != 0)
                    p.add(architecture + " with " + convFilters.size() + " stages needs height and width divisible by " + f + ", got " + height + "×" + width);
            }
        }
        if (!p.isEmpty()) throw new IllegalArgumentException("invalid model spec: " + String.join("; ", p));
        return this;
    }

    // ---------------------------------------------------------------- JSON

    public String toJson() {
        try {
            return JSON.writeValueAsString(this);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    public static VaeSpec fromJson(String json) {
        try {
            return JSON.readValue(json, VaeSpec.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a model spec: " + e.getOriginalMessage(), e);
        }
    }

    static ObjectMapper mapper() {
        return JSON;
    }
}
