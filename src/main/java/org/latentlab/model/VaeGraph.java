package org.latentlab.model;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.latentlab.data.Normalization;
import org.latentlab.model.DecoderLayer.Act;
import org.nd4j.autodiff.loss.LossReduce;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.enums.WeightsFormat;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.api.ops.impl.layers.convolution.Pooling2D;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Conv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.DeConv2DConfig;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.PaddingMode;
import org.nd4j.linalg.api.ops.impl.layers.convolution.config.Pooling2DConfig;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Builds the one SameDiff graph of a spec. Placeholders: {@code x} [n, C·H·W], {@code eps} [n, z],
 * {@code klw} (scalar KL factor k2·β), {@code zIn} [n, z] (decoder only), {@code label} [n, K]
 * one-hot (conditional), {@code features} [n, F] (the frozen prefix's activations, ResNet VAE with a
 * {@link FrozenEncoderSpec}), {@code sel0..} scalars (multi-encoder: which encoder), {@code dropE<i>},
 * {@code dropD} (dropout masks, when dropout > 0). Outputs: {@code mu}, {@code logvar},
 * {@code recon}, {@code kl}, {@code loss} (batch means) and {@code decoded} (from zIn, model range).
 * Weights are initialised like PyTorch's defaults (U(±1/√fanIn)) from the spec's seed.
 */
final class VaeGraph {
    static final String X = "x", FEATURES = "features", EPS = "eps", KLW = "klw", Z_IN = "zIn", LABEL = "label", DROP_DEC = "dropD";
    static final String MU = "mu", LOGVAR = "logvar", RECON = "recon", KL = "kl", LOSS = "loss", DECODED = "decoded";

    final SameDiff sd = SameDiff.create();
    final VaeSpec s;
    private final Random init;
    /** trainable parameters in creation order */
    final Map<String, SDVariable> params = new LinkedHashMap<>();
    final List<DecoderLayer> decoderPlan = new ArrayList<>();
    /** hidden width that each dropout mask placeholder has (name → width) */
    final Map<String, Integer> dropMasks = new LinkedHashMap<>();
    private boolean recording;
    private final int C, H, W, Z, K;
    /** Per-image shape of the frozen prefix's activations, or null without a frozen prefix. */
    private final long[] frozenShape;
    private SDVariable features;

    VaeGraph(VaeSpec spec, long[] frozenShape) {
        this.s = spec;
        this.frozenShape = frozenShape;
        this.init = new Random(spec.seed());
        C = spec.channels().count();
        H = spec.height();
        W = spec.width();
        Z = spec.latentSize();
        K = spec.conditional() ? spec.classCount() : 0;
        build();
    }

    static String encoderPrefix(int e) {
        return "e" + e + "_";
    }

    static String selName(int e) {
        return "sel" + e;
    }

    static String dropEncName(int e) {
        return "dropE" + e;
    }

    // ----------------------------------------------------------------- graph

    private void build() {
        SDVariable x = sd.placeHolder(X, DataType.FLOAT, -1, s.inputSize());
        SDVariable label = K > 0 ? sd.placeHolder(LABEL, DataType.FLOAT, -1, K) : null;
        if (frozenShape != null) {
            long size = 1;
            for (long v : frozenShape) size *= v;
            features = sd.placeHolder(FEATURES, DataType.FLOAT, -1, size);
        }
        int encoders = s.encoderCount();
        SDVariable mu = null, lv = null;
        for (int e = 0; e < encoders; e++) {
            SDVariable[] ml = encoder(encoderPrefix(e), e, x, label);
            if (encoders == 1) {
                mu = ml[0];
                lv = ml[1];
            } else {
                SDVariable sel = sd.placeHolder(selName(e), DataType.FLOAT);
                SDVariable m = ml[0].mul(sel);
                SDVariable l = ml[1] == null ? null : ml[1].mul(sel);
                mu = mu == null ? m : mu.add(m);
                lv = lv == null ? l : lv.add(l);
            }
        }
        mu = sd.identity(MU, mu);
        SDVariable z;
        if (s.architecture().variational()) {
            lv = sd.identity(LOGVAR, lv);
            SDVariable eps = sd.placeHolder(EPS, DataType.FLOAT, -1, Z);
            z = mu.add(sd.math().exp(lv.mul(0.5)).mul(eps));
        } else {
            z = mu;
        }
        SDVariable dropD = null;
        if (s.dropout() > 0 && !s.hiddenSizes().isEmpty()) {
            int width = s.hiddenSizes().get(s.hiddenSizes().size() - 1);
            dropD = sd.placeHolder(DROP_DEC, DataType.FLOAT, -1, width);
            dropMasks.put(DROP_DEC, width);
        }
        recording = true;
        SDVariable logits = decoder(z, label, dropD);
        recording = false;

        SDVariable out = outputActivation(logits);
        SDVariable reconPer = switch (s.reconLoss()) {
            case BCE -> bceWithLogits(x, logits).sum(1);
            case MSE -> { SDVariable d = out.sub(x); yield d.mul(d).sum(1); }
            case L1 -> sd.math().abs(out.sub(x)).sum(1);
        };
        SDVariable recon = sd.identity(RECON, reconPer.mean());
        SDVariable loss;
        if (s.architecture().variational()) {
            SDVariable klPer = sd.math().exp(lv).add(mu.mul(mu)).sub(lv).sub(1.0).sum(1).mul(0.5);
            SDVariable kl = sd.identity(KL, klPer.mean());
            SDVariable klw = sd.placeHolder(KLW, DataType.FLOAT);
            loss = recon.mul(s.reconWeight()).add(kl.mul(klw));
        } else {
            loss = recon.mul(s.reconWeight());
        }
        loss = sd.identity(LOSS, loss);
        sd.setLossVariables(LOSS);

        SDVariable zIn = sd.placeHolder(Z_IN, DataType.FLOAT, -1, Z);
        outputActivation(DECODED, decoder(zIn, label, null));
    }

    /** Bernoulli cross-entropy from logits, stable form: max(l,0) - l·x + log(1 + e^-|l|). */
    private SDVariable bceWithLogits(SDVariable x, SDVariable logits) {
        SDVariable pos = sd.nn().relu(logits, 0);
        SDVariable soft = sd.math().log1p(sd.math().exp(sd.math().abs(logits).neg()));
        return pos.sub(logits.mul(x)).add(soft);
    }

    private SDVariable outputActivation(SDVariable logits) {
        return outputActivation(null, logits);
    }

    private SDVariable outputActivation(String name, SDVariable logits) {
        return s.normalization() == Normalization.ZERO_ONE ? sd.nn().sigmoid(name, logits) : sd.nn().tanh(name, logits);
    }

    Act outputAct() {
        return s.normalization() == Normalization.ZERO_ONE ? Act.SIGMOID : Act.TANH;
    }

    /** Returns {μ, log σ² (null for a plain autoencoder)}. */
    private SDVariable[] encoder(String p, int e, SDVariable x, SDVariable label) {
        SDVariable h;
        int width;
        if (frozenShape != null) {
            // the frozen prefix replaces the conv stages; one trainable 3×3 conv adapts its feature map
            if (frozenShape.length == 3) {
                int fc = (int) frozenShape[0], fh = (int) frozenShape[1], fw = (int) frozenShape[2];
                int adapted = s.convFilters().get(0);
                h = relu(conv(p + "adapt", features.reshape(-1, fc, fh, fw), fc, adapted, 1));
                width = adapted * fh * fw;
                h = h.reshape(-1, width);
            } else {
                h = features;
                width = (int) frozenShape[0];
            }
        } else if (!s.convBody()) {
            h = label == null ? x : sd.concat(1, x, label);
            width = s.inputSize() + K;
        } else {
            h = x.reshape(-1, C, H, W);
            int ch = C;
            if (label != null) {
                SDVariable planes = label.reshape(-1, K, 1, 1).mul(sd.constant(p + "ones", Nd4j.ones(DataType.FLOAT, 1, 1, H, W)));
                h = sd.concat(1, h, planes);
                ch += K;
            }
            int hh = H, ww = W;
            List<Integer> f = s.convFilters();
            switch (s.architecture()) {
                case VGG_VAE -> {
                    for (int i = 0; i < f.size(); i++) {
                        h = relu(conv(p + "b" + i + "c1", h, ch, f.get(i), 1));
                        if (s.poolDownsample()) {
                            h = relu(conv(p + "b" + i + "c2", h, f.get(i), f.get(i), 1));
                            h = sd.cnn().maxPooling2d(h, Pooling2DConfig.builder().kH(2).kW(2).sH(2).sW(2)
                                    .type(Pooling2D.Pooling2DType.MAX).paddingMode(PaddingMode.VALID).isNHWC(false).build());
                        } else {
                            h = relu(conv(p + "b" + i + "c2", h, f.get(i), f.get(i), 2));
                        }
                        ch = f.get(i);
                        hh /= 2;
                        ww /= 2;
                    }
                }
                case RESNET_VAE -> {
                    h = relu(conv(p + "stem", h, ch, f.get(0), 1));
                    ch = f.get(0);
                    for (int i = 0; i < f.size(); i++) {
                        h = relu(conv(p + "s" + i + "down", h, ch, f.get(i), 2));
                        ch = f.get(i);
                        hh /= 2;
                        ww /= 2;
                        SDVariable r = conv(p + "s" + i + "r2", relu(conv(p + "s" + i + "r1", h, ch, ch, 1)), ch, ch, 1);
                        h = relu(h.add(r));
                    }
                }
                default -> { // CONV_VAE body
                    for (int i = 0; i < f.size(); i++) {
                        h = relu(conv(p + "c" + i, h, ch, f.get(i), 2));
                        ch = f.get(i);
                        hh /= 2;
                        ww /= 2;
                    }
                }
            }
            width = ch * hh * ww;
            h = h.reshape(-1, width);
        }
        List<Integer> hidden = s.hiddenSizes();
        for (int i = 0; i < hidden.size(); i++) {
            h = relu(dense(p + "fc" + i, h, width, hidden.get(i)));
            width = hidden.get(i);
        }
        if (s.dropout() > 0 && !hidden.isEmpty()) {
            SDVariable m = sd.placeHolder(dropEncName(e), DataType.FLOAT, -1, width);
            dropMasks.put(dropEncName(e), width);
            h = h.mul(m);
        }
        SDVariable mu = dense(p + "mu", h, width, Z);
        SDVariable lv = s.architecture().variational() ? dense(p + "lv", h, width, Z) : null;
        return new SDVariable[] {mu, lv};
    }

    /** Decoder logits [n, C·H·W]. Records the plan on the first call. */
    private SDVariable decoder(SDVariable z, SDVariable label, SDVariable dropMask) {
        String p = "d_";
        SDVariable g = label == null ? z : sd.concat(1, z, label);
        int width = Z + K;
        List<Integer> hidden = s.hiddenSizes();
        for (int i = hidden.size() - 1; i >= 0; i--) {
            g = act(dense(p + "fc" + i, g, width, hidden.get(i)), Act.RELU);
            record(DecoderLayer.dense(p + "fc" + i + "_W", p + "fc" + i + "_b", width, hidden.get(i), Act.RELU));
            width = hidden.get(i);
            if (i == hidden.size() - 1 && dropMask != null) g = g.mul(dropMask);
        }
        if (!s.convBody()) {
            SDVariable out = dense(p + "out", g, width, s.inputSize());
            record(DecoderLayer.dense(p + "out_W", p + "out_b", width, s.inputSize(), Act.NONE));
            return out;
        }
        List<Integer> f = s.convFilters();
        int n = f.size();
        int ch = f.get(n - 1);
        int hh = H >> n, ww = W >> n;
        Act a = s.architecture() == Architecture.RESNET_VAE ? Act.LEAKY : Act.RELU;
        g = act(dense(p + "proj", g, width, ch * hh * ww), a);
        record(DecoderLayer.dense(p + "proj_W", p + "proj_b", width, ch * hh * ww, a));
        g = g.reshape(-1, ch, hh, ww);
        switch (s.architecture()) {
            case VGG_VAE -> {
                for (int i = n - 1; i >= 0; i--) {
                    int out = i == 0 ? f.get(0) : f.get(i - 1);
                    g = deconv(p + "b" + i + "t", g, ch, out, hh, ww, Act.RELU);
                    hh *= 2;
                    ww *= 2;
                    g = act(conv(p + "b" + i + "c", g, out, out, 1), Act.RELU);
                    record(DecoderLayer.conv(p + "b" + i + "c_W", p + "b" + i + "c_b", out, out, hh, ww, 3, 1, 1, Act.RELU));
                    ch = out;
                }
                g = conv(p + "final", g, ch, C, 1);
                record(DecoderLayer.conv(p + "final_W", p + "final_b", ch, C, hh, ww, 3, 1, 1, Act.NONE));
            }
            case RESNET_VAE -> {
                for (int i = n - 1; i >= 0; i--) {
                    String r = p + "s" + i + "r";
                    SDVariable t = conv(r + "1", act(g, Act.NONE), ch, ch, 1);
                    t = conv(r + "2", act(t, Act.LEAKY), ch, ch, 1);
                    g = act(g.add(t), Act.LEAKY);
                    record(DecoderLayer.resblock(r + "1_W", r + "1_b", r + "2_W", r + "2_b", ch, hh, ww, Act.LEAKY));
                    int out = i == 0 ? f.get(0) : f.get(i - 1);
                    g = deconv(p + "s" + i + "up", g, ch, out, hh, ww, Act.LEAKY);
                    hh *= 2;
                    ww *= 2;
                    ch = out;
                }
                g = conv(p + "final", g, ch, C, 1);
                record(DecoderLayer.conv(p + "final_W", p + "final_b", ch, C, hh, ww, 3, 1, 1, Act.NONE));
            }
            default -> {
                for (int i = n - 1; i >= 0; i--) {
                    int out = i == 0 ? C : f.get(i - 1);
                    Act ai = i == 0 ? Act.NONE : Act.RELU;
                    g = deconv(p + "t" + i, g, ch, out, hh, ww, ai);
                    hh *= 2;
                    ww *= 2;
                    ch = out;
                }
            }
        }
        return g.reshape(-1, s.inputSize());
    }

    private void record(DecoderLayer l) {
        if (recording) decoderPlan.add(l);
    }

    // ----------------------------------------------------------------- layers

    private SDVariable relu(SDVariable v) {
        return sd.nn().relu(v, 0);
    }

    private SDVariable act(SDVariable v, Act a) {
        return switch (a) {
            case NONE -> v;
            case RELU -> sd.nn().relu(v, 0);
            case LEAKY -> sd.nn().leakyRelu(v, DecoderLayer.LEAKY_SLOPE);
            case SIGMOID -> sd.nn().sigmoid(v);
            case TANH -> sd.nn().tanh(v);
        };
    }

    private SDVariable param(String name, double bound, long... shape) {
        SDVariable v = params.get(name);
        if (v != null) return v;
        // drawn straight into the array's memory (see HostFloats), not through a Java float[]
        INDArray a = Nd4j.create(DataType.FLOAT, shape, 'c');
        FloatBuffer data = HostFloats.view(a, name);
        for (int i = 0, n = (int) a.length(); i < n; i++) data.put(i, (float) ((init.nextDouble() * 2 - 1) * bound));
        HostFloats.written(a);
        v = sd.var(name, a);
        params.put(name, v);
        return v;
    }

    /** x·W + b (not xw_plus_b: slow with oneDNN). */
    private SDVariable dense(String name, SDVariable x, int in, int out) {
        double bound = 1.0 / Math.sqrt(in);
        SDVariable w = param(name + "_W", bound, in, out);
        SDVariable b = param(name + "_b", bound, out);
        return x.mmul(w).add(b);
    }

    /** 3×3 conv, pad 1 (PyTorch padding=1), given stride. */
    private SDVariable conv(String name, SDVariable x, int inC, int outC, int stride) {
        double bound = 1.0 / Math.sqrt(inC * 9.0);
        SDVariable w = param(name + "_W", bound, 3, 3, inC, outC);
        SDVariable b = param(name + "_b", bound, outC);
        return sd.cnn().conv2d(x, w, b, Conv2DConfig.builder().kH(3).kW(3).sH(stride).sW(stride).pH(1).pW(1)
                .dH(1).dW(1).paddingMode(PaddingMode.VALID).dataFormat("NCHW").weightsFormat(WeightsFormat.YXIO).build());
    }

    /** 3×3 transposed conv, stride 2, SAME (output = 2× input). Records itself. */
    private SDVariable deconv(String name, SDVariable x, int inC, int outC, int h, int w, Act a) {
        double bound = 1.0 / Math.sqrt(outC * 9.0); // PyTorch: fan-in of ConvTranspose is weight.size(1)·k·k
        SDVariable wv = param(name + "_W", bound, 3, 3, outC, inC);
        SDVariable b = param(name + "_b", bound, outC);
        // SAME padding for k=3, s=2: total (in-1)·2+3-2·in = 1, libnd4j pads 0 at the start
        record(DecoderLayer.deconv(name + "_W", name + "_b", inC, outC, h, w, 3, 2, 0, a));
        return act(sd.cnn().deconv2d(x, wv, b, DeConv2DConfig.builder().kH(3).kW(3).sH(2).sW(2).pH(0).pW(0).dH(1).dW(1)
                .isSameMode(true).dataFormat("NCHW").build()), a);
    }

    /** Names of trainable parameters of encoder e (multi-encoder) — all others belong to the decoder. */
    List<String> encoderParams(int e) {
        List<String> out = new ArrayList<>();
        for (String n : params.keySet()) if (n.startsWith(encoderPrefix(e))) out.add(n);
        return out;
    }

    List<String> decoderParams() {
        List<String> out = new ArrayList<>();
        for (String n : params.keySet()) if (n.startsWith("d_")) out.add(n);
        return out;
    }

    INDArray paramArray(String name) {
        return params.get(name).getArr();
    }
}
