package org.latentlab.model;

import static org.latentlab.model.Blas.buffer;
import static org.latentlab.model.Blas.gemm;

import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.IntUnaryOperator;
import java.util.stream.IntStream;
import org.latentlab.data.Normalization;

/**
 * The training engine of every model but a ResNet VAE on a frozen DL4J graph (which trains
 * through SameDiff): plain autoencoder, MLP, conv, VGG, ResNet RGB-D, conditional and
 * multi-encoder VAEs, with or without dropout. Forward and backward are written out over
 * OpenBLAS {@code sgemm} on preallocated off-heap buffers: SameDiff spent most of each step
 * allocating and freeing op outputs (about 7× slower than PyTorch on the MLP). Same function,
 * same parameter names and layouts as {@link VaeGraph} builds (a test checks the two agree step for
 * step), so the {@link VaeModel} copies weights and Adam moments between them when it switches.
 *
 * <p>Inside, a batch is a row-major matrix [n, per-sample size]; conv activations are NHWC per
 * sample so that a 3×3 convolution is a few gemms over the whole batch (im2col, shifted products
 * or a transposed conv, whichever suits its shape: {@link #conv3x3}). The Java-side
 * passes between the products are split over as many threads as sgemm uses ({@link Parts}).
 */
final class GemmVae {
    /** Whether this engine implements the spec (else the model trains through SameDiff). */
    static boolean supports(VaeSpec s) {
        return s.frozenEncoder() == null;
    }

    private final VaeSpec spec;
    private final int z, d, classes;
    private final boolean variational;
    /** One stack per encoder (the multi-encoder model has several, all of the same shape). */
    private final List<Encoder> encoders = new ArrayList<>();
    /** The encoder of the current pass; the others share its activation buffers. */
    private List<Layer> encoder;
    private Dense mu, lv;
    private final List<Layer> decoder = new ArrayList<>();
    final List<Param> params = new ArrayList<>();
    private int capacity;
    private FloatBuffer[] encAct, encGrad, decAct, decGrad;
    private FloatBuffer muB, lvB, zB, dMu, dLv, dZ, dH, eps, x;
    /**
     * Element-wise work runs over heap copies of CHUNK floats: loops over arrays are vectorised,
     * per-element get/put on direct buffers is not (it was most of an MLP step).
     */
    static final int CHUNK = 4096;
    /** The least floats of element-wise work worth handing to another thread (see {@link Parts}). */
    static final int PART_FLOATS = 32768;
    private final Parts.Lanes ca = new Parts.Lanes(CHUNK), cb = new Parts.Lanes(CHUNK), cc = new Parts.Lanes(CHUNK), cd = new Parts.Lanes(CHUNK);
    private final BernoulliLoss[] bernoulli = new BernoulliLoss[Parts.MAX];
    /** Buffer the conv layers borrow inside one forward or backward call (patch gradients, padded outputs). */
    private final Scratch scratch = new Scratch();
    /** One-hot labels of the images in the current pass (conditional models). */
    private final SideInput labels = new SideInput();
    /** Dropout masks of the current training step; inactive outside training. */
    private final SideInput encoderMask = new SideInput(), decoderMask = new SideInput();

    GemmVae(VaeSpec spec) {
        this.spec = spec;
        this.z = spec.latentSize();
        this.d = spec.inputSize();
        this.variational = spec.architecture().variational();
        this.classes = spec.conditional() ? spec.classCount() : 0;
        boolean dropout = spec.dropout() > 0 && !spec.hiddenSizes().isEmpty();
        for (int e = 0; e < spec.encoderCount(); e++) encoders.add(buildEncoder(VaeGraph.encoderPrefix(e), dropout));
        select(0);
        int width = z;
        if (classes > 0) {
            decoder.add(new AppendLabels(z, classes, 1, labels));
            width = z + classes;
        }
        for (int i = spec.hiddenSizes().size() - 1; i >= 0; i--) {
            int out = spec.hiddenSizes().get(i);
            decoder.add(new Dense("d_fc" + i, width, out, Act.RELU));
            width = out;
            if (dropout && i == spec.hiddenSizes().size() - 1) decoder.add(new Dropout(width, decoderMask));
        }
        if (!spec.convBody()) {
            decoder.add(new Dense("d_out", width, d, Act.NONE));
        } else {
            List<Integer> f = spec.convFilters();
            int n = f.size(), ch = f.get(n - 1), hh = spec.height() >> n, ww = spec.width() >> n;
            Architecture a = spec.architecture();
            // writes its output interleaved, as the conv layers read it (see Dense.interleavedOutput)
            decoder.add(new Dense("d_proj", width, ch * hh * ww, a == Architecture.RESNET_VAE ? Act.LEAKY : Act.RELU)
                    .interleavedOutput(ch, hh * ww));
            for (int i = n - 1; i >= 0; i--) {
                int previous = i == 0 ? f.get(0) : f.get(i - 1);
                switch (a) {
                    case RESNET_VAE -> {
                        // residual block, then a transposed conv up to the previous stage's filters
                        decoder.add(new ResBlock("d_s" + i + "r", ch, hh, ww, Act.LEAKY, scratch));
                        decoder.add(new Deconv("d_s" + i + "up", ch, previous, hh, ww, Act.LEAKY));
                    }
                    case VGG_VAE -> {
                        decoder.add(new Deconv("d_b" + i + "t", ch, previous, hh, ww, Act.RELU));
                        decoder.add(conv3x3("d_b" + i + "c", previous, previous, 2 * hh, 2 * ww, Act.RELU, scratch));
                    }
                    default -> {
                        previous = i == 0 ? spec.channels().count() : previous;
                        decoder.add(new Deconv("d_t" + i, ch, previous, hh, ww, i == 0 ? Act.NONE : Act.RELU));
                    }
                }
                ch = previous;
                hh *= 2;
                ww *= 2;
            }
            if (a == Architecture.RESNET_VAE || a == Architecture.VGG_VAE) {
                decoder.add(conv3x3("d_final", ch, spec.channels().count(), hh, ww, Act.NONE, scratch));
                ch = spec.channels().count();
            }
            if (ch > 1) decoder.add(new Permute(ch, hh * ww, false));
        }
        for (Encoder e : encoders) params.addAll(e.params());
        for (Layer l : decoder) params.addAll(l.params());
    }

    /** The layers of one encoder (prefix e0_, e1_, … as in {@link VaeGraph}) up to μ and log σ². */
    private Encoder buildEncoder(String p, boolean dropout) {
        List<Layer> layers = new ArrayList<>();
        int c = spec.channels().count(), h = spec.height(), w = spec.width();
        int width = d;
        if (classes > 0) {
            // one-hot label planes after the image's planes (SameDiff concatenates them as channels)
            int plane = spec.convBody() ? h * w : 1;
            layers.add(new AppendLabels(d, classes, plane, labels));
            width = d + classes * plane;
            c += classes;
        }
        if (spec.convBody()) {
            if (c > 1) layers.add(new Permute(c, h * w, true));
            List<Integer> f = spec.convFilters();
            switch (spec.architecture()) {
                case RESNET_VAE -> {
                    layers.add(conv3x3(p + "stem", c, f.get(0), h, w, Act.RELU, scratch));
                    c = f.get(0);
                    for (int i = 0; i < f.size(); i++) {
                        layers.add(new Conv(p + "s" + i + "down", c, f.get(i), h, w, 2, Act.RELU, scratch));
                        c = f.get(i);
                        h /= 2;
                        w /= 2;
                        layers.add(new ResBlock(p + "s" + i + "r", c, h, w, Act.RELU, scratch));
                    }
                }
                case VGG_VAE -> {
                    for (int i = 0; i < f.size(); i++) {
                        layers.add(conv3x3(p + "b" + i + "c1", c, f.get(i), h, w, Act.RELU, scratch));
                        c = f.get(i);
                        if (spec.poolDownsample()) {
                            layers.add(conv3x3(p + "b" + i + "c2", c, c, h, w, Act.RELU, scratch));
                            layers.add(new MaxPool(c, h, w));
                        } else {
                            layers.add(new Conv(p + "b" + i + "c2", c, c, h, w, 2, Act.RELU, scratch));
                        }
                        h /= 2;
                        w /= 2;
                    }
                }
                default -> {
                    for (int i = 0; i < f.size(); i++) {
                        layers.add(new Conv(p + "c" + i, c, f.get(i), h, w, 2, Act.RELU, scratch));
                        c = f.get(i);
                        h /= 2;
                        w /= 2;
                    }
                }
            }
            width = c * h * w;
        }
        // the conv body's output stays interleaved; the first dense layer (or μ and log σ²) reads it so
        int planes = spec.convBody() ? c : 0, pixels = h * w;
        for (int i = 0; i < spec.hiddenSizes().size(); i++) {
            int out = spec.hiddenSizes().get(i);
            Dense fc = new Dense(p + "fc" + i, width, out, Act.RELU);
            layers.add(i == 0 && planes > 0 ? fc.interleavedInput(planes, pixels) : fc);
            width = out;
        }
        if (dropout) layers.add(new Dropout(width, encoderMask));
        Dense mu = new Dense(p + "mu", width, z, Act.NONE), lv = variational ? new Dense(p + "lv", width, z, Act.NONE) : null;
        if (spec.hiddenSizes().isEmpty() && planes > 0) {
            mu.interleavedInput(planes, pixels);
            if (lv != null) lv.interleavedInput(planes, pixels);
        }
        return new Encoder(layers, mu, lv);
    }

    private record Encoder(List<Layer> layers, Dense mu, Dense lv) {
        List<Param> params() {
            List<Param> out = new ArrayList<>();
            for (Layer l : layers) out.addAll(l.params());
            out.addAll(mu.params());
            if (lv != null) out.addAll(lv.params());
            return out;
        }
    }

    /** Makes encoder e the one the next passes run through. */
    private void select(int e) {
        Encoder enc = encoders.get(e);
        encoder = enc.layers();
        mu = enc.mu();
        lv = enc.lv();
    }

    // ------------------------------------------------------------------ passes

    /**
     * One Adam step of encoder e and the decoder on n images with the given noise [n, z], one-hot
     * labels [n, K] (conditional models, else null) and dropout masks by their graph placeholder
     * names (empty without dropout); returns the batch-mean losses.
     */
    StepResult step(float[] batch, float[] oneHot, float[] noise, Map<String, float[]> dropMasks, int n, double klw, int e) {
        select(e);
        ensure(n);
        encoderMask.setOrClear(dropMasks.get(VaeGraph.dropEncName(e)));
        decoderMask.setOrClear(dropMasks.get(VaeGraph.DROP_DEC));
        double[] losses = forward(batch, oneHot, noise, 0, n, klw, true);
        StepResult r = new StepResult(losses[0], losses[1], losses[2], 1);
        if (!r.finite()) return r;
        backward(n, klw);
        return r;
    }

    /** Batch-sum losses {total·n, recon·n, kl·n} through encoder e without a parameter update (noise may be null: z = μ). */
    double[] lossSums(float[] batch, float[] oneHot, float[] noise, int n, double klw, int e) {
        select(e);
        double[] sums = new double[3];
        int chunk = inferenceChunk(n);
        inferenceMode();
        for (int from = 0; from < n; from += chunk) {
            int m = Math.min(chunk, n - from);
            ensure(m);
            double[] mean = forward(batch, oneHot, noise, from, m, klw, false);
            for (int i = 0; i < 3; i++) sums[i] += mean[i] * m;
        }
        return sums;
    }

    /** μ and log σ² from encoder e ([n, z] each, log σ² null for a plain autoencoder); oneHot as for {@link #step}. */
    float[][] encode(float[] batch, float[] oneHot, int n, int e) {
        select(e);
        float[] m = new float[n * z];
        float[] l = lv == null ? null : new float[n * z];
        int chunk = inferenceChunk(n);
        inferenceMode();
        for (int from = 0; from < n; from += chunk) {
            int rows = Math.min(chunk, n - from);
            ensure(rows);
            load(x, batch, from * d, rows * d);
            loadLabels(oneHot, from, rows);
            FloatBuffer h = runEncoder(rows);
            mu.forward(h, muB, rows);
            muB.get(0, m, from * z, rows * z);
            if (lv != null) {
                lv.forward(h, lvB, rows);
                lvB.get(0, l, from * z, rows * z);
            }
        }
        return new float[][] {m, l};
    }

    /** Decoded images [n, C·H·W] in model range (sigmoid or tanh applied) of latents zs [n, z]; oneHot as for {@link #step}. */
    float[] decode(float[] zs, float[] oneHot, int n) {
        float[] out = new float[n * d];
        int chunk = inferenceChunk(n);
        inferenceMode();
        boolean sigmoid = spec.normalization() == Normalization.ZERO_ONE;
        for (int from = 0; from < n; from += chunk) {
            int rows = Math.min(chunk, n - from);
            ensure(rows);
            load(zB, zs, from * z, rows * z);
            loadLabels(oneHot, from, rows);
            runDecoder(rows).get(0, out, from * d, rows * d);
        }
        for (int i = 0; i < out.length; i++) out[i] = sigmoid ? (float) (1.0 / (1.0 + Math.exp(-out[i]))) : (float) Math.tanh(out[i]);
        return out;
    }

    /** Dropout is off outside a training step. */
    private void inferenceMode() {
        encoderMask.setOrClear(null);
        decoderMask.setOrClear(null);
    }

    private void loadLabels(float[] oneHot, int from, int n) {
        if (classes == 0) return;
        if (oneHot == null) throw new IllegalArgumentException("a conditional model needs labels");
        labels.set(oneHot, from * classes, n * classes);
    }

    /**
     * Buffers of an inference pass stay under this many floats (1 GiB): the callers' 500-image
     * chunks of the 64×64 ResNet VAE would otherwise allocate several GB of activations and patches.
     */
    private static final long INFERENCE_FLOATS = 1L << 28;

    /** Buffers for at least this many images are reused as they are for inference. */
    private static final int REUSED_CAPACITY = 64;

    /**
     * Images per inference pass. A model whose buffers already hold a training batch (or an earlier
     * pass) runs in chunks of that size. Growing them at the first epoch's evaluation, from 128 to
     * 500 images (177 MB of fresh direct memory for the MNIST conv VAE, against 46 MB), stalled the
     * explorer's window for 55-68 ms while the pages were faulted in; the 10,000-image evaluation
     * takes as long in 128-image passes (1.18-1.20 s). Otherwise as many as fit INFERENCE_FLOATS.
     */
    private int inferenceChunk(int n) {
        if (capacity >= REUSED_CAPACITY) return Math.max(1, Math.min(n, capacity));
        long perSample = (long) d + 8L * z + mu.in;
        for (Layer l : encoder) perSample += 2L * l.outSize() + l.workPerSample();
        for (Layer l : decoder) perSample += 2L * l.outSize() + l.workPerSample();
        long fit = Math.max(capacity, INFERENCE_FLOATS / perSample);
        return (int) Math.max(1, Math.min(n, fit));
    }

    private FloatBuffer runEncoder(int n) {
        return runLayers(encoder, x, encAct, n);
    }

    /** Decoder logits of the n latents in zB (and labels, conditional models). */
    private FloatBuffer runDecoder(int n) {
        return runLayers(decoder, zB, decAct, n);
    }

    /** Runs the layers in order from input, layer i writing outputs[i]; returns the last output. */
    private static FloatBuffer runLayers(List<Layer> layers, FloatBuffer input, FloatBuffer[] outputs, int n) {
        FloatBuffer in = input;
        for (int i = 0; i < layers.size(); i++) {
            layers.get(i).forward(in, outputs[i], n);
            in = outputs[i];
        }
        return in;
    }

    /** Forward pass over images from..from+n-1 and loss means {total, recon, kl}; keeps activations for backward. */
    private double[] forward(float[] batch, float[] oneHot, float[] noise, int from, int n, double klw, boolean train) {
        load(x, batch, from * d, n * d);
        loadLabels(oneHot, from, n);
        FloatBuffer h = runEncoder(n);
        mu.forward(h, muB, n);
        double kl = 0;
        if (variational) {
            lv.forward(h, lvB, n);
            if (noise != null) load(eps, noise, from * z, n * z);
            for (int i = 0; i < n * z; i++) {
                float m = muB.get(i), l = lvB.get(i);
                zB.put(i, noise == null ? m : m + (float) Math.exp(0.5 * l) * eps.get(i));
                kl += Math.exp(l) + m * m - 1 - l;
            }
            kl = 0.5 * kl / n;
        } else {
            for (int i = 0; i < n * z; i++) zB.put(i, muB.get(i));
        }
        double recon = reconLoss(runDecoder(n), n, train);
        double k1 = spec.reconWeight();
        return new double[] {k1 * recon + (variational ? klw * kl : 0), recon, kl};
    }

    /** Mean reconstruction loss per image; when train, also writes dLoss/dlogits into the last decoder gradient. */
    private double reconLoss(FloatBuffer logits, int n, boolean train) {
        FloatBuffer g = train ? decGrad[decoder.size() - 1] : null;
        boolean sigmoid = spec.normalization() == Normalization.ZERO_ONE;
        float scale = (float) (spec.reconWeight() / n);
        int len = n * d;
        boolean bce = spec.reconLoss() == ReconstructionLoss.BCE, mse = spec.reconLoss() == ReconstructionLoss.MSE;
        double[] sums = new double[Parts.MAX];
        int parts = Parts.run(len, CHUNK, PART_FLOATS, (part, from, to) -> {
            float[] ls = ca.get(part), ts = cb.get(part), gs = cc.get(part);
            if (bernoulli[part] == null) bernoulli[part] = new BernoulliLoss(CHUNK);
            double partSum = 0;
            for (int off = from; off < to; off += CHUNK) {
                int m = Math.min(CHUNK, to - off);
                logits.get(off, ls, 0, m);
                x.get(off, ts, 0, m);
                if (bce) {
                    partSum += bernoulli[part].chunk(ls, ts, g == null ? null : gs, m, scale);
                } else {
                    for (int i = 0; i < m; i++) {
                        float l = ls[i], t = ts[i];
                        float o = sigmoid ? (float) (1.0 / (1.0 + Math.exp(-l))) : (float) Math.tanh(l);
                        float diff = o - t;
                        partSum += mse ? diff * diff : Math.abs(diff);
                        float dOut = mse ? 2 * diff : Math.signum(diff);
                        gs[i] = scale * dOut * (sigmoid ? o * (1 - o) : 1 - o * o);
                    }
                }
                if (g != null) g.put(off, gs, 0, m);
            }
            sums[part] = partSum;
        });
        double sum = 0;
        for (int p = 0; p < parts; p++) sum += sums[p];
        return sum / n;
    }

    private void backward(int n, double klw) {
        FloatBuffer g = decGrad[decoder.size() - 1];
        for (int i = decoder.size() - 1; i >= 0; i--) {
            FloatBuffer in = i == 0 ? zB : decAct[i - 1];
            FloatBuffer dIn = i == 0 ? dZ : decGrad[i - 1];
            decoder.get(i).backward(in, decAct[i], g, dIn, n);
            update(decoder.get(i).params());
            g = dIn;
        }
        int nz = n * z;
        FloatBuffer h = encoder.isEmpty() ? x : encAct[encoder.size() - 1];
        if (variational) {
            float kw = (float) (klw / n);
            for (int i = 0; i < nz; i++) {
                float m = muB.get(i), l = lvB.get(i), dz = dZ.get(i);
                float sd = (float) Math.exp(0.5 * l);
                dMu.put(i, dz + kw * m);
                dLv.put(i, dz * eps.get(i) * 0.5f * sd + kw * 0.5f * (sd * sd - 1));
            }
        } else {
            for (int i = 0; i < nz; i++) dMu.put(i, dZ.get(i));
        }
        // μ and log σ² share their input: the second adds its input gradient to the first's
        mu.backward(h, muB, dMu, dH, n, false);
        update(mu.params());
        if (lv != null) {
            lv.backward(h, lvB, dLv, dH, n, true);
            update(lv.params());
        }
        g = dH;
        for (int i = encoder.size() - 1; i >= 0; i--) {
            FloatBuffer in = i == 0 ? x : encAct[i - 1];
            FloatBuffer dIn = i == 0 ? null : encGrad[i - 1];
            encoder.get(i).backward(in, encAct[i], g, dIn, n);
            update(encoder.get(i).params());
            g = dIn;
        }
    }

    // Adam runs layer by layer inside backward, right after a layer's last use of its weights, while
    // the gradient sgemm just wrote is still in cache (one pass over all 650k MLP parameters at the end
    // read every gradient and weight back from memory). Each parameter counts its own steps: the
    // multi-encoder model updates one encoder per step.
    private static final float GRAD_FLUSH = 1e-15f, MOMENT_FLUSH = 1e-30f;

    private void update(List<Param> layerParams) {
        double b1 = spec.beta1(), b2 = spec.beta2();
        float fb1 = (float) b1, fb2 = (float) b2;
        for (Param p : layerParams) {
            long t = ++p.steps;
            float alpha = (float) (spec.learningRate() * Math.sqrt(1 - Math.pow(b2, t)) / (1 - Math.pow(b1, t)));
            Parts.run(p.size(), CHUNK, PART_FLOATS, (part, from, to) -> adam(p, from, to, alpha, fb1, fb2, part));
        }
    }

    /** Adam on parameters [from, to) of p. */
    private void adam(Param p, int from, int to, float alpha, float fb1, float fb2, int part) {
        // every operand in a heap chunk indexed from 0: C2 vectorised the loop only in that shape
        float[] g = ca.get(part), w = cb.get(part), m = cc.get(part), v = cd.get(part);
        for (int off = from; off < to; off += CHUNK) {
            int len = Math.min(CHUNK, to - off);
            p.grad.get(off, g, 0, len);
            p.value.get(off, w, 0, len);
            p.m.get(off, m, 0, len);
            p.v.get(off, v, 0, len);
            for (int i = 0; i < len; i++) {
                // Values that would go subnormal are flushed to 0: x86 computes on subnormals about
                // 100× slower, and the moments of a dead unit decay into that range within ~700 steps
                // (a 650k-parameter Adam pass went from 1.3 ms to 65-750 ms). Below these bounds
                // ε = 1e-8 dominates the update, so the step is unchanged to float precision.
                // The flush is x - clamp(x, ±bound), which also moves larger values by the bound
                // (less than an ulp of any value over 2^24 bounds): min and max vectorise, a
                // compare-and-select does not and mispredicts on gradients with scattered zeros
                // (803k parameters, half their gradients zero: 1.4 against 6 ms in a harness).
                float gi = g[i] - Math.max(Math.min(g[i], GRAD_FLUSH), -GRAD_FLUSH);
                float mi = fb1 * m[i] + (1 - fb1) * gi;
                float vi = fb2 * v[i] + (1 - fb2) * gi * gi;
                mi -= Math.max(Math.min(mi, MOMENT_FLUSH), -MOMENT_FLUSH);
                vi = Math.max(vi - MOMENT_FLUSH, 0f);
                m[i] = mi;
                v[i] = vi;
                w[i] -= alpha * mi / ((float) Math.sqrt(vi) + 1e-8f);
            }
            p.value.put(off, w, 0, len);
            p.m.put(off, m, 0, len);
            p.v.put(off, v, 0, len);
        }
    }

    private void ensure(int n) {
        if (n <= capacity) return;
        capacity = Math.max(n, capacity);
        encAct = new FloatBuffer[encoder.size()];
        encGrad = new FloatBuffer[encoder.size()];
        for (int i = 0; i < encoder.size(); i++) {
            encAct[i] = buffer(n * encoder.get(i).outSize());
            encGrad[i] = buffer(n * encoder.get(i).outSize());
            for (Encoder e : encoders) e.layers().get(i).ensure(n);
        }
        decAct = new FloatBuffer[decoder.size()];
        decGrad = new FloatBuffer[decoder.size()];
        for (int i = 0; i < decoder.size(); i++) {
            decAct[i] = buffer(n * decoder.get(i).outSize());
            decGrad[i] = buffer(n * decoder.get(i).outSize());
            decoder.get(i).ensure(n);
        }
        x = buffer(n * d);
        muB = buffer(n * z);
        lvB = buffer(n * z);
        zB = buffer(n * z);
        dMu = buffer(n * z);
        dLv = buffer(n * z);
        dZ = buffer(n * z);
        eps = buffer(n * z);
        dH = buffer(n * mu.in);
    }

    private static void load(FloatBuffer dst, float[] src, int offset, int len) {
        dst.put(0, src, offset, len);
    }


    // ------------------------------------------------------------------ layers

    /** A trainable array (named as in the SameDiff graph) with its gradient and Adam moments. */
    static final class Param {
        final String name;
        /**
         * All four outside the Java heap: a conv VAE's largest arrays are 3.2 MB, which the G1
         * collector stores as humongous objects, and allocating a new model's at training start
         * could start a 50-70 ms collection while the window was drawing.
         */
        final FloatBuffer value, grad, m, v;
        /** Adam steps taken (the bias correction's t). */
        long steps;
        /** Where element i of this engine array sits in the graph's array of the same name (null: at i). */
        private IntUnaryOperator graphIndex;

        Param(String name, int size) {
            this.name = name;
            this.value = buffer(size);
            this.grad = buffer(size);
            this.m = buffer(size);
            this.v = buffer(size);
        }

        int size() {
            return m.capacity();
        }

        /**
         * Writes the values into the graph's array and Adam's moments into its updater state (first
         * moments, then second), both given as views of their memory in the graph's element order.
         * Copies element by element in place: the weights of a conv VAE are tens of megabytes, and
         * the garbage of temporary copies starts a collection while the UI is busy.
         */
        void copyToGraph(FloatBuffer graphValues, FloatBuffer graphMoments) {
            int n = size();
            for (int i = 0; i < n; i++) {
                int g = graphIndex(i);
                graphValues.put(g, value.get(i));
                graphMoments.put(g, m.get(i));
                graphMoments.put(n + g, v.get(i));
            }
        }

        /** The reverse of {@link #copyToGraph}. */
        void copyFromGraph(FloatBuffer graphValues, FloatBuffer graphMoments) {
            int n = size();
            for (int i = 0; i < n; i++) {
                int g = graphIndex(i);
                value.put(i, graphValues.get(g));
                m.put(i, graphMoments.get(g));
                v.put(i, graphMoments.get(n + g));
            }
        }

        private int graphIndex(int i) {
            return graphIndex == null ? i : graphIndex.applyAsInt(i);
        }
    }

    /**
     * The taps of a 3×3 kernel between a matrix with a row of 9·c values per pixel of a rows×cols grid
     * and a rowsT×colsT image of c channels: tap (ky, kx) of grid pixel (y, x) is image pixel
     * (y·stride + ky − pad, x·stride + kx − pad). For every tap inside the image, where its c values
     * start in the sample's image and in its matrix; built once per layer, so the per-sample loops
     * test no bounds.
     */
    record Taps(int[] pixel, int[] matrix) {
        static Taps of(int rows, int cols, int rowsT, int colsT, int stride, int pad, int c) {
            IntStream.Builder pixels = IntStream.builder(), offsets = IntStream.builder();
            for (int y = 0; y < rows; y++) {
                for (int x = 0; x < cols; x++) {
                    for (int t = 0; t < 9; t++) {
                        int ty = y * stride + t / 3 - pad, tx = x * stride + t % 3 - pad;
                        if (ty < 0 || ty >= rowsT || tx < 0 || tx >= colsT) continue;
                        pixels.add((ty * colsT + tx) * c);
                        offsets.add(((y * cols + x) * 9 + t) * c);
                    }
                }
            }
            return new Taps(pixels.build().toArray(), offsets.build().toArray());
        }
    }

    /** Index in a planar [c][p] sample (SameDiff's NCHW flatten) of index i of the interleaved [p][c] (NHWC) one. */
    static int planarIndex(int i, int c, int p) {
        return (i % c) * p + i / c;
    }

    enum Act { NONE, RELU, LEAKY }

    /** One growable off-heap buffer shared by layers that need it only inside one forward or backward call. */
    static final class Scratch {
        private FloatBuffer buf = buffer(0);

        FloatBuffer atLeast(int len) {
            if (buf.capacity() < len) buf = buffer(len);
            return buf;
        }
    }

    /**
     * Values a pass feeds to some layers besides the images (one-hot labels, dropout masks), set
     * before each forward; inactive when the pass has none.
     */
    static final class SideInput {
        private FloatBuffer values = buffer(0);
        private boolean active;

        void set(float[] src, int offset, int len) {
            if (values.capacity() < len) values = buffer(len);
            values.put(0, src, offset, len);
            active = true;
        }

        /** Sets all of src, or deactivates when src is null. */
        void setOrClear(float[] src) {
            if (src == null) active = false;
            else set(src, 0, src.length);
        }
    }

    private abstract static class Layer {
        /** The smallest positive float (1.4e-45) times STEP_SCALE twice is still above 1. */
        private static final float STEP_SCALE = 1e30f;
        final Act act;

        Layer(Act act) {
            this.act = act;
        }

        abstract int outSize();

        List<Param> params() {
            return List.of();
        }

        void ensure(int n) {
        }

        /** Floats per image of the layer's own buffers beyond its output and output gradient. */
        long workPerSample() {
            return 0;
        }

        abstract void forward(FloatBuffer x, FloatBuffer y, int n);

        /** dy is scratch (the activation's derivative is applied in place); dx may be null. */
        abstract void backward(FloatBuffer x, FloatBuffer y, FloatBuffer dy, FloatBuffer dx, int n);

        // element-wise passes over heap chunks (see CHUNK), one lane per part (see Parts)
        private final Parts.Lanes ya = new Parts.Lanes(CHUNK), da = new Parts.Lanes(CHUNK);

        void activate(FloatBuffer y, int len) {
            biasActivate(y, null, len, 1);
        }

        /** y = act(y + b) over y [rows, cols] in one pass; b [cols], or null for none. */
        void biasActivate(FloatBuffer y, FloatBuffer b, int rows, int cols) {
            if (b == null && act == Act.NONE) return;
            float[] bias = b == null ? null : new float[cols];
            if (b != null) b.get(0, bias);
            Parts.run(rows * cols, cols, PART_FLOATS, (part, from, to) -> {
                float[] buf = cols <= CHUNK ? ya.get(part) : new float[cols];
                int step = buf.length / cols * cols;
                for (int off = from; off < to; off += step) {
                    int m = Math.min(step, to - off);
                    y.get(off, buf, 0, m);
                    if (bias != null) for (int r = 0; r < m; r += cols) for (int c = 0; c < cols; c++) buf[r + c] += bias[c];
                    applyActivation(buf, m);
                    y.put(off, buf, 0, m);
                }
            });
        }

        /**
         * dy *= act'(y), read from the output y (ReLU and leaky ReLU keep the sign), and db = column
         * sums of the result over dy [rows, cols] (db null: none; it overwrites, each bias has one
         * gradient writer), in one pass.
         */
        void activationBiasGrad(FloatBuffer y, FloatBuffer dy, FloatBuffer db, int rows, int cols) {
            if (db == null && act == Act.NONE) return;
            float[][] sums = db == null ? null : new float[Parts.MAX][];
            int parts = Parts.run(rows * cols, cols, PART_FLOATS, (part, from, to) -> {
                float[] acc = db == null ? null : new float[cols];
                boolean wide = cols > CHUNK;
                float[] yb = wide ? new float[cols] : ya.get(part), gb = wide ? new float[cols] : da.get(part);
                int step = gb.length / cols * cols;
                for (int off = from; off < to; off += step) {
                    int m = Math.min(step, to - off);
                    dy.get(off, gb, 0, m);
                    if (act != Act.NONE) {
                        y.get(off, yb, 0, m);
                        applyDerivative(gb, yb, m);
                        dy.put(off, gb, 0, m);
                    }
                    if (acc != null) for (int r = 0; r < m; r += cols) for (int c = 0; c < cols; c++) acc[c] += gb[r + c];
                }
                if (sums != null) sums[part] = acc;
            });
            if (db == null) return;
            // the parts' sums added in part order, so that the gradient does not depend on timing
            float[] total = sums[0];
            for (int p = 1; p < parts; p++) for (int c = 0; c < cols; c++) total[c] += sums[p][c];
            db.put(0, total);
        }

        /** a = act(a) over its first m values. */
        void applyActivation(float[] a, int m) {
            // max forms: C2 vectorises them, a ternary it does not (leaky: 0 < slope < 1)
            if (act == Act.RELU) {
                for (int i = 0; i < m; i++) a[i] = Math.max(a[i], 0f);
            } else if (act == Act.LEAKY) {
                float slope = DecoderLayer.LEAKY_SLOPE;
                for (int i = 0; i < m; i++) a[i] = Math.max(a[i], slope * a[i]);
            }
        }

        /** g *= act'(y) over the first m values, read from the output y (ReLU and leaky ReLU keep the sign). */
        void applyDerivative(float[] g, float[] y, int m) {
            // the derivative as min(y·S·S, 1): 1 for every y > 0, 0 for y = 0, negative below;
            // a form C2 vectorises where the ternary y > 0 ? 1 : 0 it does not
            if (act == Act.RELU) {
                for (int i = 0; i < m; i++) g[i] *= Math.min(y[i] * STEP_SCALE * STEP_SCALE, 1f);
            } else if (act == Act.LEAKY) {
                float slope = DecoderLayer.LEAKY_SLOPE;
                for (int i = 0; i < m; i++) g[i] *= Math.max(Math.min(y[i] * STEP_SCALE * STEP_SCALE, 1f), slope);
            }
        }

        /** Samples per part of a per-sample pass that handles this many floats per sample. */
        static int samplesPerPart(int floatsPerSample) {
            return Math.max(1, PART_FLOATS / Math.max(1, floatsPerSample));
        }

        /** out = a + b element-wise over len floats (out may be a). */
        void add(FloatBuffer a, FloatBuffer b, FloatBuffer out, int len) {
            Parts.run(len, CHUNK, PART_FLOATS, (part, from, to) -> {
                float[] av = ya.get(part), bv = da.get(part);
                for (int off = from; off < to; off += CHUNK) {
                    int m = Math.min(CHUNK, to - off);
                    a.get(off, av, 0, m);
                    b.get(off, bv, 0, m);
                    for (int i = 0; i < m; i++) av[i] += bv[i];
                    out.put(off, av, 0, m);
                }
            });
        }
    }

    /** y = x·W + b, W [in, out]. */
    private static final class Dense extends Layer {
        final int in, out;
        final Param w, b;

        Dense(String name, int in, int out, Act act) {
            super(act);
            this.in = in;
            this.out = out;
            this.w = new Param(name + "_W", in * out);
            this.b = new Param(name + "_b", out);
        }

        @Override int outSize() { return out; }

        @Override List<Param> params() { return List.of(w, b); }

        /**
         * Reads its input interleaved [p][c] (a conv body's NHWC output) where the graph flattens it
         * planar [c][p]: the engine keeps W's rows in that order, so no layer reorders the activations
         * (those permutes were 4 × 0.46 ms of a conv VAE step). The graph order is restored on copy.
         */
        Dense interleavedInput(int c, int p) {
            w.graphIndex = i -> planarIndex(i / out, c, p) * out + i % out;
            return this;
        }

        /** Writes its output interleaved [p][c] where the graph's is planar [c][p]: W's columns and b reordered. */
        Dense interleavedOutput(int c, int p) {
            w.graphIndex = i -> i / out * out + planarIndex(i % out, c, p);
            b.graphIndex = i -> planarIndex(i, c, p);
            return this;
        }

        @Override
        void forward(FloatBuffer x, FloatBuffer y, int n) {
            gemm(false, false, n, out, in, x, in, w.value, out, 0f, y, out);
            biasActivate(y, b.value, n, out);
        }

        @Override
        void backward(FloatBuffer x, FloatBuffer y, FloatBuffer dy, FloatBuffer dx, int n) {
            backward(x, y, dy, dx, n, false);
        }

        /** With addToDx the input gradient is added to what dx holds (a shared input). */
        void backward(FloatBuffer x, FloatBuffer y, FloatBuffer dy, FloatBuffer dx, int n, boolean addToDx) {
            activationBiasGrad(y, dy, b.grad, n, out);
            gemm(true, false, in, out, n, x, in, dy, out, 0f, w.grad, out);
            if (dx != null) gemm(false, true, n, in, out, dy, out, w.value, out, addToDx ? 1f : 0f, dx, in);
        }
    }

    /**
     * A 3×3 stride-1 convolution (padding 1) in whichever of three layouts is faster for its
     * shape; all keep W as [3][3][in][out], so the choice changes no weight file. The shifted
     * products of {@link PaddedConv} compute every pixel of the zero border too, 2.25× the work at
     * 4×4 and 1.56× at 8×8, and with 4 input channels each of its nine products has k = 4; im2col
     * ({@link Conv}) does one product with k = 9·in, and {@link FewOutputsConv} one with n = 9·out.
     * Per-layer minima of the ResNet VAE's step at 32×32 (one thread, forward + backward, the
     * encoder's layers; the decoder's moved alike): the 4×4 residual block 23.4 → 12.0 ms, the 8×8
     * one 18.3 → 15.1 ms, the 4-channel stem 12.4 → 8.9 ms, the final conv to 4 channels
     * 10.9 → 7.8 ms; the 16×16 blocks with 32 channels went the other way under im2col
     * (18.8 → 22.8 ms) and stay shifted, as do 64 channels at 16×16 (within 5 %).
     */
    private static Layer conv3x3(String name, int inC, int outC, int h, int w, Act act, Scratch scratch) {
        if (h * w <= 64 || inC <= 4) return new Conv(name, inC, outC, h, w, 1, act, scratch);
        return outC <= 4 ? new FewOutputsConv(name, inC, outC, h, w, act, scratch) : new PaddedConv(name, inC, outC, h, w, act, scratch);
    }

    /** 3×3 convolution, padding 1, NHWC in and out, by im2col (stride 2, and stride 1 where {@link #conv3x3} picks it); W [3][3][in][out] (SameDiff YXIO). */
    private static final class Conv extends Layer {
        final int inC, outC, h, w, stride, oh, ow, k;
        final Param wt, b;
        private final Scratch scratch;
        FloatBuffer patches;

        Conv(String name, int inC, int outC, int h, int w, int stride, Act act, Scratch scratch) {
            super(act);
            this.scratch = scratch;
            this.inC = inC;
            this.outC = outC;
            this.h = h;
            this.w = w;
            this.stride = stride;
            this.oh = (h + 2 - 3) / stride + 1;
            this.ow = (w + 2 - 3) / stride + 1;
            this.k = 9 * inC;
            this.wt = new Param(name + "_W", k * outC);
            this.b = new Param(name + "_b", outC);
            this.imageSize = h * w * inC;
            this.rowsSize = oh * ow * k;
            // a patch row per output pixel, its taps read input pixels (stride, padding 1)
            Taps taps = Taps.of(oh, ow, h, w, stride, 1, inC);
            this.tapPixel = taps.pixel();
            this.tapRow = taps.matrix();
            this.images = new Parts.Lanes(imageSize);
            this.sampleRows = new Parts.Lanes(rowsSize);
        }

        @Override int outSize() { return oh * ow * outC; }

        @Override List<Param> params() { return List.of(wt, b); }

        // one sample's image and patch matrix on the heap per part, for im2col and col2im
        private final int imageSize, rowsSize;
        private final int[] tapPixel, tapRow;
        private final Parts.Lanes images, sampleRows;

        @Override
        void ensure(int n) {
            patches = buffer(n * oh * ow * k);
            scratch.atLeast(n * oh * ow * k);
        }

        @Override
        long workPerSample() {
            return 2L * oh * ow * k;
        }

        @Override
        void forward(FloatBuffer x, FloatBuffer y, int n) {
            int rows = n * oh * ow;
            Parts.run(n, 1, samplesPerPart(rowsSize), (part, s0, s1) -> {
                float[] image = images.get(part), sampleRows = this.sampleRows.get(part);
                for (int s = s0; s < s1; s++) {
                    x.get(s * imageSize, image);
                    Arrays.fill(sampleRows, 0f);
                    // a one-float arraycopy per tap cost more than the first layer's sgemm
                    if (inC == 1) for (int t = 0; t < tapPixel.length; t++) sampleRows[tapRow[t]] = image[tapPixel[t]];
                    else for (int t = 0; t < tapPixel.length; t++) System.arraycopy(image, tapPixel[t], sampleRows, tapRow[t], inC);
                    patches.put(s * rowsSize, sampleRows);
                }
            });
            gemm(false, false, rows, outC, k, patches, k, wt.value, outC, 0f, y, outC);
            biasActivate(y, b.value, rows, outC);
        }

        @Override
        void backward(FloatBuffer x, FloatBuffer y, FloatBuffer dy, FloatBuffer dx, int n) {
            int rows = n * oh * ow;
            activationBiasGrad(y, dy, b.grad, rows, outC);
            gemm(true, false, k, outC, rows, patches, k, dy, outC, 0f, wt.grad, outC);
            if (dx == null) return;
            FloatBuffer dPatches = scratch.atLeast(rows * k);
            gemm(false, true, rows, k, outC, dy, outC, wt.value, outC, 0f, dPatches, k);
            Parts.run(n, 1, samplesPerPart(rowsSize), (part, s0, s1) -> {
                float[] image = images.get(part), sampleRows = this.sampleRows.get(part);
                for (int s = s0; s < s1; s++) {
                    dPatches.get(s * rowsSize, sampleRows);
                    Arrays.fill(image, 0f);
                    for (int t = 0; t < tapPixel.length; t++) {
                        int xi = tapPixel[t], o = tapRow[t];
                        for (int c = 0; c < inC; c++) image[xi + c] += sampleRows[o + c];
                    }
                    dx.put(s * imageSize, image);
                }
            });
        }
    }

    /**
     * 3×3 convolution, stride 1, padding 1, NHWC, W [3][3][in][out], as nine shifted matrix products
     * instead of im2col. In a copy of the batch with a zero border round each image, the neighbour
     * (ky - 1, kx - 1) of every pixel lies a fixed number of rows away, so each tap is one sgemm over
     * all pixels of the batch. im2col writes 9·in floats per pixel from Java loops and keeps them for
     * the weight gradient (1.2M floats per 64×64 image for the last layer); here the border copy is
     * the only Java-side pass. At 64×64 a harness gave 13.0 against 10.6 samples per CPU-second.
     */
    private static final class PaddedConv extends Layer {
        final int inC, outC, h, w, ph, pw;
        final Param wt, b;
        private final Scratch scratch;
        /** Padded input (kept for the weight gradient) and padded output gradient; their borders stay zero. */
        private FloatBuffer paddedIn, paddedDy;

        PaddedConv(String name, int inC, int outC, int h, int w, Act act, Scratch scratch) {
            super(act);
            this.inC = inC;
            this.outC = outC;
            this.h = h;
            this.w = w;
            this.ph = h + 2;
            this.pw = w + 2;
            this.scratch = scratch;
            this.wt = new Param(name + "_W", 9 * inC * outC);
            this.b = new Param(name + "_b", outC);
        }

        @Override int outSize() { return h * w * outC; }

        @Override List<Param> params() { return List.of(wt, b); }

        @Override
        void ensure(int n) {
            paddedIn = buffer(n * ph * pw * inC);
            paddedDy = buffer(n * ph * pw * outC);
            scratch.atLeast(n * ph * pw * Math.max(inC, outC));
        }

        @Override
        long workPerSample() {
            return (long) ph * pw * (inC + outC + Math.max(inC, outC));
        }

        /** Row distance in the padded batch from a pixel to its tap-t neighbour (t = ky·3 + kx). */
        private int shift(int t) {
            return (t / 3 - 1) * pw + (t % 3 - 1);
        }

        // padded rows from the first image's first pixel to the last image's last: every pixel, and
        // the border rows between images, whose outputs are dropped and whose gradients are zero
        private int firstRow() {
            return pw + 1;
        }

        private int rowCount(int n) {
            return n * ph * pw - 2 * (pw + 1);
        }

        @Override
        void forward(FloatBuffer x, FloatBuffer y, int n) {
            pad(x, paddedIn, n, inC);
            FloatBuffer out = scratch.atLeast(n * ph * pw * outC);
            int first = firstRow(), rows = rowCount(n);
            for (int t = 0; t < 9; t++) {
                gemm(false, false, rows, outC, inC, from(paddedIn, (first + shift(t)) * inC), inC,
                        from(wt.value, t * inC * outC), outC, t == 0 ? 0f : 1f, from(out, first * outC), outC);
            }
            unpad(out, y, n, outC);
            biasActivate(y, b.value, n * h * w, outC);
        }

        @Override
        void backward(FloatBuffer x, FloatBuffer y, FloatBuffer dy, FloatBuffer dx, int n) {
            activationBiasGrad(y, dy, b.grad, n * h * w, outC);
            pad(dy, paddedDy, n, outC);
            int first = firstRow(), rows = rowCount(n);
            for (int t = 0; t < 9; t++) {
                gemm(true, false, inC, outC, rows, from(paddedIn, (first + shift(t)) * inC), inC,
                        from(paddedDy, first * outC), outC, 0f, from(wt.grad, t * inC * outC), outC);
            }
            if (dx == null) return;
            // dx(p) = Σ_t dy(p - shift t)·W_tᵀ
            FloatBuffer dIn = scratch.atLeast(n * ph * pw * inC);
            for (int t = 0; t < 9; t++) {
                gemm(false, true, rows, inC, outC, from(paddedDy, (first - shift(t)) * outC), outC,
                        from(wt.value, t * inC * outC), outC, t == 0 ? 0f : 1f, from(dIn, first * inC), inC);
            }
            unpad(dIn, dx, n, inC);
        }

        private void pad(FloatBuffer src, FloatBuffer padded, int n, int c) {
            for (int s = 0; s < n; s++) {
                for (int r = 0; r < h; r++) padded.put(((s * ph + r + 1) * pw + 1) * c, src, (s * h + r) * w * c, w * c);
            }
        }

        private void unpad(FloatBuffer padded, FloatBuffer dst, int n, int c) {
            for (int s = 0; s < n; s++) {
                for (int r = 0; r < h; r++) dst.put((s * h + r) * w * c, padded, ((s * ph + r + 1) * pw + 1) * c, w * c);
            }
        }

        /** The buffer from float index i on (sgemm reads a view's own start address). */
        private static FloatBuffer from(FloatBuffer b, int i) {
            return b.slice(i, b.capacity() - i);
        }
    }

    /**
     * 3×3 stride-1 convolution (padding 1) with at most 4 output channels (the last conv of an
     * image decoder; {@link #conv3x3} picks it for more than 4 in and a map over 8×8), run as the
     * stride-1 transposed convolution with the flipped kernel: every input pixel's nine tap
     * contributions Z = X·W' (W' [in][9·out]) in one sgemm,
     * summed into the pixels they reach ({@link TapColumns}). Backward spreads dy into that layout,
     * D [pixels, 9·out], so that the weight gradient is Xᵀ·D and the input gradient D·W'ᵀ, one sgemm
     * each. The other layouts run products with n or k equal to the few channels (the shifted one
     * nine of each), which OpenBLAS does far below its speed.
     */
    private static final class FewOutputsConv extends Layer {
        final int inC, outC, h, w, k;
        final Param wt, b;
        private final Scratch scratch;
        /** W flipped and reordered for the products, [in][8 − tap][out], and the weight gradient in that order. */
        private final FloatBuffer wByInput, gradByInput;
        private final float[] weights, reordered;
        private final TapColumns columns;

        FewOutputsConv(String name, int inC, int outC, int h, int w, Act act, Scratch scratch) {
            super(act);
            this.inC = inC;
            this.outC = outC;
            this.h = h;
            this.w = w;
            this.k = 9 * outC;
            this.scratch = scratch;
            this.wt = new Param(name + "_W", 9 * inC * outC);
            this.b = new Param(name + "_b", outC);
            this.wByInput = buffer(9 * inC * outC);
            this.gradByInput = buffer(9 * inC * outC);
            this.weights = new float[9 * inC * outC];
            this.reordered = new float[9 * inC * outC];
            // input pixel q's tap 8 − t lands on output pixel q − (t/3 − 1, t%3 − 1): a stride-1 transposed conv
            this.columns = new TapColumns(Taps.of(h, w, h, w, 1, 1, outC), h * w, h * w, outC);
        }

        @Override int outSize() { return h * w * outC; }

        @Override List<Param> params() { return List.of(wt, b); }

        @Override
        void ensure(int n) {
            scratch.atLeast(n * h * w * k);
        }

        @Override
        long workPerSample() {
            return (long) h * w * k;
        }

        @Override
        void forward(FloatBuffer x, FloatBuffer y, int n) {
            wt.value.get(0, weights);
            reorder(weights, reordered, true);
            wByInput.put(0, reordered);
            FloatBuffer z = scratch.atLeast(n * h * w * k);
            gemm(false, false, n * h * w, k, inC, x, inC, wByInput, k, 0f, z, k);
            columns.sumAndActivate(this, z, b.value, y, n);
        }

        @Override
        void backward(FloatBuffer x, FloatBuffer y, FloatBuffer dy, FloatBuffer dx, int n) {
            int rows = n * h * w;
            FloatBuffer d = scratch.atLeast(rows * k);
            columns.activationGradAndSpread(this, y, dy, b.grad, d, n);
            gemm(true, false, inC, k, rows, x, inC, d, k, 0f, gradByInput, k);
            gradByInput.get(0, reordered);
            reorder(reordered, weights, false);
            wt.grad.put(0, weights);
            if (dx != null) gemm(false, true, rows, inC, k, d, k, wByInput, k, 0f, dx, inC);
        }

        /** [tap][in][out] → [in][8 − tap][out] (toByInput) or back. */
        private void reorder(float[] from, float[] to, boolean toByInput) {
            for (int t = 0; t < 9; t++) {
                for (int c = 0; c < inC; c++) {
                    int byTap = (t * inC + c) * outC, byInput = (c * 9 + 8 - t) * outC;
                    System.arraycopy(from, toByInput ? byTap : byInput, to, toByInput ? byInput : byTap, outC);
                }
            }
        }
    }

    /**
     * The Java side of a transposed convolution: a column matrix with, for each source pixel, its nine
     * taps' contributions (9·c floats each) summed into the pixels they land on (forward), and an image
     * gradient copied back into that layout (backward, zero for taps that land outside). Sample by
     * sample on the heap, split over {@link Parts}.
     */
    private static final class TapColumns {
        private final int c, colsSize, imageSize;
        private final int[] tapPixel, tapCol;
        private final Parts.Lanes sampleCols, images;

        TapColumns(Taps taps, int sourcePixels, int imagePixels, int c) {
            this.c = c;
            this.colsSize = sourcePixels * 9 * c;
            this.imageSize = imagePixels * c;
            this.tapPixel = taps.pixel();
            this.tapCol = taps.matrix();
            this.sampleCols = new Parts.Lanes(colsSize);
            this.images = new Parts.Lanes(imageSize);
        }

        /** The owning layer's forward after its product: y = act(b + the taps landing on each pixel), for n samples of cols. */
        void sumAndActivate(Layer layer, FloatBuffer cols, FloatBuffer b, FloatBuffer y, int n) {
            float[] bias = new float[c];
            b.get(0, bias);
            sum(cols, bias, y, n);
            layer.activate(y, n * imageSize);
        }

        /** The owning layer's backward before its products: dy through act' (bias gradient into db), spread into cols. */
        void activationGradAndSpread(Layer layer, FloatBuffer y, FloatBuffer dy, FloatBuffer db, FloatBuffer cols, int n) {
            layer.activationBiasGrad(y, dy, db, n * (imageSize / c), c);
            spread(dy, cols, n);
        }

        /** y = bias + the taps landing on each pixel, for n samples of cols. */
        private void sum(FloatBuffer cols, float[] bias, FloatBuffer y, int n) {
            Parts.run(n, 1, Layer.samplesPerPart(colsSize), (part, s0, s1) -> {
                float[] sampleCols = this.sampleCols.get(part), image = images.get(part);
                for (int s = s0; s < s1; s++) {
                    cols.get(s * colsSize, sampleCols);
                    for (int i = 0; i < image.length; i += c) System.arraycopy(bias, 0, image, i, c);
                    if (c == 1) for (int t = 0; t < tapPixel.length; t++) image[tapPixel[t]] += sampleCols[tapCol[t]];
                    else for (int t = 0; t < tapPixel.length; t++) {
                        int o = tapPixel[t], q = tapCol[t];
                        for (int j = 0; j < c; j++) image[o + j] += sampleCols[q + j];
                    }
                    y.put(s * imageSize, image);
                }
            });
        }

        /** cols = for each tap, the gradient dy of the pixel it lands on, for n samples. */
        private void spread(FloatBuffer dy, FloatBuffer cols, int n) {
            Parts.run(n, 1, Layer.samplesPerPart(colsSize), (part, s0, s1) -> {
                float[] sampleCols = this.sampleCols.get(part), image = images.get(part);
                for (int s = s0; s < s1; s++) {
                    dy.get(s * imageSize, image);
                    Arrays.fill(sampleCols, 0f);
                    if (c == 1) for (int t = 0; t < tapPixel.length; t++) sampleCols[tapCol[t]] = image[tapPixel[t]];
                    else for (int t = 0; t < tapPixel.length; t++) System.arraycopy(image, tapPixel[t], sampleCols, tapCol[t], c);
                    cols.put(s * colsSize, sampleCols);
                }
            });
        }
    }

    /**
     * Residual block of {@link VaeGraph}: y = act(x + conv2(act(conv1(x)))), two 3×3 stride-1 convs
     * named prefix + "1" / "2" with as many channels out as in.
     */
    private static final class ResBlock extends Layer {
        final Layer first, second;
        private FloatBuffer firstOut, secondOut, firstGrad;

        ResBlock(String prefix, int ch, int h, int w, Act act, Scratch scratch) {
            super(act);
            this.first = conv3x3(prefix + "1", ch, ch, h, w, act, scratch);
            this.second = conv3x3(prefix + "2", ch, ch, h, w, Act.NONE, scratch);
        }

        @Override int outSize() { return first.outSize(); }

        @Override
        List<Param> params() {
            List<Param> out = new ArrayList<>(first.params());
            out.addAll(second.params());
            return out;
        }

        @Override
        void ensure(int n) {
            first.ensure(n);
            second.ensure(n);
            firstOut = buffer(n * outSize());
            secondOut = buffer(n * outSize());
            firstGrad = buffer(n * outSize());
        }

        @Override
        long workPerSample() {
            return 3L * outSize() + first.workPerSample() + second.workPerSample();
        }

        @Override
        void forward(FloatBuffer x, FloatBuffer y, int n) {
            int len = n * outSize();
            first.forward(x, firstOut, n);
            second.forward(firstOut, secondOut, n);
            add(secondOut, x, y, len);
            activate(y, len);
        }

        @Override
        void backward(FloatBuffer x, FloatBuffer y, FloatBuffer dy, FloatBuffer dx, int n) {
            activationBiasGrad(y, dy, null, n * outSize(), 1);
            // the second conv has no activation, so dy is left as it is: the skip path's gradient
            second.backward(firstOut, secondOut, dy, firstGrad, n);
            first.backward(x, firstOut, firstGrad, dx, n);
            if (dx != null) add(dx, dy, dx, n * outSize());
        }
    }

    /**
     * 3×3 transposed convolution, stride 2, output 2× the input, NHWC; W [3][3][out][in] as SameDiff's
     * deconv2d in SAME mode, which pads nothing at the start: out(iy·2 + ky, ix·2 + kx) += W·in(iy, ix).
     */
    private static final class Deconv extends Layer {
        final int inC, outC, h, w, oh, ow, k;
        final Param wt, b;
        FloatBuffer cols;

        Deconv(String name, int inC, int outC, int h, int w, Act act) {
            super(act);
            this.inC = inC;
            this.outC = outC;
            this.h = h;
            this.w = w;
            this.oh = 2 * h;
            this.ow = 2 * w;
            this.k = 9 * outC;
            this.wt = new Param(name + "_W", k * inC);
            this.b = new Param(name + "_b", outC);
            // a column row per input pixel, its taps land on output pixels (stride 2, no padding)
            this.columns = new TapColumns(Taps.of(h, w, oh, ow, 2, 0, outC), h * w, oh * ow, outC);
        }

        @Override int outSize() { return oh * ow * outC; }

        @Override List<Param> params() { return List.of(wt, b); }

        private final TapColumns columns;

        @Override
        void ensure(int n) {
            cols = buffer(n * h * w * k);
        }

        @Override
        long workPerSample() {
            return (long) h * w * k;
        }

        @Override
        void forward(FloatBuffer x, FloatBuffer y, int n) {
            int rows = n * h * w;
            gemm(false, true, rows, k, inC, x, inC, wt.value, inC, 0f, cols, k);
            columns.sumAndActivate(this, cols, b.value, y, n);
        }

        @Override
        void backward(FloatBuffer x, FloatBuffer y, FloatBuffer dy, FloatBuffer dx, int n) {
            int rows = n * h * w;
            columns.activationGradAndSpread(this, y, dy, b.grad, cols, n);
            gemm(true, false, k, inC, rows, cols, k, x, inC, 0f, wt.grad, inC);
            if (dx != null) gemm(false, false, rows, inC, k, cols, k, wt.value, inC, 0f, dx, inC);
        }
    }

    /**
     * Appends K one-hot label values to each sample, each repeated over a plane of P floats: P = 1
     * after a flat input or a latent vector, P = H·W for label planes after a planar image (as
     * SameDiff concatenates them to the channels). The gradient reaches only the input part.
     */
    private static final class AppendLabels extends Layer {
        final int width, k, plane;
        private final SideInput labels;
        private final float[] row, oneHot;

        AppendLabels(int width, int k, int plane, SideInput labels) {
            super(Act.NONE);
            this.width = width;
            this.k = k;
            this.plane = plane;
            this.labels = labels;
            this.row = new float[k * plane];
            this.oneHot = new float[k];
        }

        @Override int outSize() { return width + k * plane; }

        @Override
        void forward(FloatBuffer x, FloatBuffer y, int n) {
            int out = outSize();
            for (int s = 0; s < n; s++) {
                y.put(s * out, x, s * width, width);
                labels.values.get(s * k, oneHot);
                for (int c = 0; c < k; c++) Arrays.fill(row, c * plane, (c + 1) * plane, oneHot[c]);
                y.put(s * out + width, row);
            }
        }

        @Override
        void backward(FloatBuffer x, FloatBuffer y, FloatBuffer dy, FloatBuffer dx, int n) {
            if (dx == null) return;
            for (int s = 0; s < n; s++) dx.put(s * width, dy, s * outSize(), width);
        }
    }

    /** Multiplies by the step's dropout mask (0 or 1/(1-p) per value), as SameDiff's mask placeholder; identity when inactive. */
    private static final class Dropout extends Layer {
        final int width;
        private final SideInput mask;
        private final Parts.Lanes va = new Parts.Lanes(CHUNK), ma = new Parts.Lanes(CHUNK);

        Dropout(int width, SideInput mask) {
            super(Act.NONE);
            this.width = width;
            this.mask = mask;
        }

        @Override int outSize() { return width; }

        @Override
        void forward(FloatBuffer x, FloatBuffer y, int n) {
            multiply(x, y, n * width);
        }

        @Override
        void backward(FloatBuffer x, FloatBuffer y, FloatBuffer dy, FloatBuffer dx, int n) {
            if (dx != null) multiply(dy, dx, n * width);
        }

        private void multiply(FloatBuffer from, FloatBuffer to, int len) {
            if (!mask.active) {
                to.put(0, from, 0, len);
                return;
            }
            Parts.run(len, CHUNK, PART_FLOATS, (part, start, end) -> {
                float[] values = va.get(part), factors = ma.get(part);
                for (int off = start; off < end; off += CHUNK) {
                    int m = Math.min(CHUNK, end - off);
                    from.get(off, values, 0, m);
                    mask.values.get(off, factors, 0, m);
                    for (int i = 0; i < m; i++) values[i] *= factors[i];
                    to.put(off, values, 0, m);
                }
            });
        }
    }

    /** 2×2 max pooling, stride 2, NHWC; the gradient goes to the first maximum of each window. */
    private static final class MaxPool extends Layer {
        final int c, h, w, oh, ow;
        private final Parts.Lanes images, pooledImages;
        /** Per output value, the input index (within its sample) of the window's maximum. */
        private int[] argmax = new int[0];

        MaxPool(int c, int h, int w) {
            super(Act.NONE);
            this.c = c;
            this.h = h;
            this.w = w;
            this.oh = h / 2;
            this.ow = w / 2;
            this.images = new Parts.Lanes(h * w * c);
            this.pooledImages = new Parts.Lanes(oh * ow * c);
        }

        @Override int outSize() { return oh * ow * c; }

        @Override
        void ensure(int n) {
            argmax = new int[n * outSize()];
        }

        @Override
        long workPerSample() {
            return outSize(); // the int argmax
        }

        @Override
        void forward(FloatBuffer x, FloatBuffer y, int n) {
            Parts.run(n, 1, samplesPerPart(h * w * c), (part, s0, s1) -> pool(x, y, s0, s1, images.get(part), pooledImages.get(part)));
        }

        private void pool(FloatBuffer x, FloatBuffer y, int s0, int s1, float[] image, float[] pooled) {
            for (int s = s0; s < s1; s++) {
                x.get(s * image.length, image);
                int base = s * pooled.length;
                for (int oy = 0; oy < oh; oy++) {
                    for (int ox = 0; ox < ow; ox++) {
                        int o = (oy * ow + ox) * c;
                        int first = (2 * oy * w + 2 * ox) * c;
                        for (int ch = 0; ch < c; ch++) {
                            int topLeft = first + ch, below = topLeft + w * c, best = topLeft;
                            if (image[topLeft + c] > image[best]) best = topLeft + c;
                            if (image[below] > image[best]) best = below;
                            if (image[below + c] > image[best]) best = below + c;
                            pooled[o + ch] = image[best];
                            argmax[base + o + ch] = best;
                        }
                    }
                }
                y.put(s * pooled.length, pooled);
            }
        }

        @Override
        void backward(FloatBuffer x, FloatBuffer y, FloatBuffer dy, FloatBuffer dx, int n) {
            if (dx == null) return;
            Parts.run(n, 1, samplesPerPart(h * w * c), (part, s0, s1) -> {
                float[] image = images.get(part), pooled = pooledImages.get(part);
                for (int s = s0; s < s1; s++) {
                    dy.get(s * pooled.length, pooled);
                    Arrays.fill(image, 0f);
                    int base = s * pooled.length;
                    for (int o = 0; o < pooled.length; o++) image[argmax[base + o]] = pooled[o];
                    dx.put(s * image.length, image);
                }
            });
        }
    }

    /** Reorders each sample between planar [c][p] (SameDiff's NCHW flatten) and interleaved [p][c] (NHWC). */
    private static final class Permute extends Layer {
        final int c, p;
        final boolean toInterleaved;
        private final Parts.Lanes src, dst;

        Permute(int c, int p, boolean toInterleaved) {
            super(Act.NONE);
            this.c = c;
            this.p = p;
            this.toInterleaved = toInterleaved;
            this.src = new Parts.Lanes(c * p);
            this.dst = new Parts.Lanes(c * p);
        }

        @Override int outSize() { return c * p; }

        @Override
        void forward(FloatBuffer x, FloatBuffer y, int n) {
            move(x, y, n, toInterleaved);
        }

        @Override
        void backward(FloatBuffer x, FloatBuffer y, FloatBuffer dy, FloatBuffer dx, int n) {
            if (dx != null) move(dy, dx, n, !toInterleaved);
        }

        private void move(FloatBuffer from, FloatBuffer to, int n, boolean interleave) {
            int size = c * p;
            Parts.run(n, 1, samplesPerPart(size), (part, s0, s1) -> {
                float[] a = src.get(part), b = dst.get(part);
                for (int s = s0; s < s1; s++) {
                    from.get(s * size, a);
                    for (int ch = 0; ch < c; ch++) {
                        for (int q = 0; q < p; q++) {
                            int planar = ch * p + q, inter = q * c + ch;
                            if (interleave) b[inter] = a[planar];
                            else b[planar] = a[inter];
                        }
                    }
                    to.put(s * size, b);
                }
            });
        }
    }
}
