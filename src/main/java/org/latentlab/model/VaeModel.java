package org.latentlab.model;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.latentlab.data.ImageSet;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.autodiff.samediff.api.OutAndGrad;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.GradientUpdater;
import org.nd4j.linalg.learning.config.Adam;

/**
 * A trainable VAE (or plain autoencoder) built from a {@link VaeSpec}: one SameDiff graph (see
 * {@link VaeGraph} for its placeholders; it holds the weights that are saved), an Adam optimiser per
 * parameter, the {@link GemmVae} engine that trains, encodes and decodes instead of the graph where
 * it supports the spec, and a {@link FastDecoder} copy of the decoder for single-z decodes.
 * Not thread-safe: only the model-service thread may call it.
 * All images are flat float arrays in the model's range (see {@link VaeSpec#normalization()}),
 * planar C·H·W per sample, n samples back to back.
 */
public final class VaeModel {
    private static final int CHUNK = 500;

    private final VaeSpec spec;
    private final VaeGraph graph;
    private final SameDiff sd;
    private final List<String> paramNames;
    private final Map<String, GradientUpdater> updaters = new HashMap<>();
    private final Map<String, INDArray> updaterState = new HashMap<>();
    private final Map<String, Integer> paramSteps = new HashMap<>();
    private final Random noise;
    private final List<List<String>> gradGroups = new ArrayList<>();
    private long step;
    private FastDecoder fast;
    /** The ResNet VAE's frozen encoder prefix, or null. */
    private final FrozenEncoder frozen;
    /** Hand-written engine for the specs it supports (null: SameDiff trains). */
    private final GemmVae engine;
    /** Which side holds the newest weights and Adam moments while the engine trains. */
    private boolean graphCurrent = true, engineCurrent;
    private boolean gradFunctionBuilt;

    /** System property "latentlab.engine=samediff" trains every spec through SameDiff (for comparison). */
    static final String ENGINE_PROPERTY = "latentlab.engine";

    private VaeModel(VaeSpec spec) {
        this(spec, !"samediff".equals(System.getProperty(ENGINE_PROPERTY)));
    }

    private VaeModel(VaeSpec spec, boolean allowEngine) {
        NativeSetup.initNd4j();
        spec.validate();
        this.frozen = spec.frozenEncoder() == null ? null : FrozenEncoder.load(spec);
        // the model records which file its frozen prefix came from (saved on its card)
        this.spec = frozen == null ? spec : spec.withFrozenEncoder(spec.frozenEncoder().pinnedTo(frozen.digest()));
        this.graph = new VaeGraph(spec, frozen == null ? null : frozen.featureShape());
        this.sd = graph.sd;
        this.paramNames = List.copyOf(graph.params.keySet());
        this.noise = new Random(spec.seed() * 31 + 7);
        for (int e = 0; e < spec.encoderCount(); e++) {
            if (spec.encoderCount() == 1) {
                gradGroups.add(paramNames);
            } else {
                List<String> g = new ArrayList<>(graph.encoderParams(e));
                g.addAll(graph.decoderParams());
                gradGroups.add(List.copyOf(g));
            }
        }
        this.engine = allowEngine && GemmVae.supports(spec) ? new GemmVae(spec) : null;
        resetOptimizer();
    }

    /** A fresh model that trains through SameDiff even where the engine could (tests compare the two). */
    static VaeModel createSameDiffOnly(VaeSpec spec) {
        return new VaeModel(spec, false);
    }

    /** The frozen encoder prefix (ResNet VAE with a {@link FrozenEncoderSpec}), or null. */
    FrozenEncoder frozenEncoder() {
        return frozen;
    }

    /**
     * Builds SameDiff's gradient function before the graph's first training step. Only specs the
     * engine does not support need it (and models made by createSameDiffOnly or run with
     * -Dlatentlab.engine=samediff); building it costs a few hundred ms of CPU, which at Start would
     * compete with the window for the machine's cores.
     */
    private void ensureGradFunction() {
        if (gradFunctionBuilt) return;
        quietly(sd::createGradFunction);
        gradFunctionBuilt = true;
    }

    /** Whether training runs on the hand-written {@link GemmVae} engine. */
    public boolean usesEngine() {
        return engine != null;
    }

    /** Copies the engine's newer weights and Adam moments into the graph (before any graph use). */
    private void syncGraph() {
        if (graphCurrent) return;
        for (GemmVae.Param p : engine.params) {
            INDArray w = graph.paramArray(p.name), st = updaterState.get(p.name);
            p.copyToGraph(HostFloats.view(w, p.name), HostFloats.view(st, p.name));
            HostFloats.written(w, st);
            paramSteps.put(p.name, (int) p.steps);
        }
        graphCurrent = true;
    }

    /** Loads the graph's weights and Adam moments into the engine (before the engine trains). */
    private void syncEngine() {
        if (engineCurrent) return;
        syncGraph();
        for (GemmVae.Param p : engine.params) {
            INDArray w = graph.paramArray(p.name);
            if (w.length() != p.size()) throw new IllegalStateException(p.name + ": engine size " + p.size() + ", graph " + w.length());
            p.copyFromGraph(HostFloats.view(w, p.name), HostFloats.view(updaterState.get(p.name), p.name));
            p.steps = paramSteps.getOrDefault(p.name, 0);
        }
        engineCurrent = true;
    }

    /** SameDiff M2.1 prints a line per op to System.out while building the gradient function. */
    private static synchronized void quietly(Runnable r) {
        java.io.PrintStream out = System.out;
        System.setOut(new java.io.PrintStream(java.io.OutputStream.nullOutputStream()));
        try {
            r.run();
        } finally {
            System.setOut(out);
        }
    }

    /** A freshly initialised model (weights from the spec's seed). */
    public static VaeModel create(VaeSpec spec) {
        return new VaeModel(spec);
    }

    /**
     * A model of this spec with the given weights (e.g. from a saved graph). Every trainable
     * variable of the spec must be present with the same shape, else a ModelException naming file.
     */
    public static VaeModel withWeights(VaeSpec spec, Map<String, INDArray> weights, Path file) {
        VaeModel m = new VaeModel(spec);
        List<String> faults = new ArrayList<>();
        for (String name : m.paramNames) {
            INDArray src = weights.get(name);
            INDArray dst = m.graph.paramArray(name);
            if (src == null) {
                faults.add("missing variable '" + name + "'");
            } else if (!Arrays.equals(src.shape(), dst.shape())) {
                faults.add("variable '" + name + "' has shape " + Arrays.toString(src.shape()) + ", spec needs " + Arrays.toString(dst.shape()));
            }
        }
        if (weights.size() != m.paramNames.size() && faults.isEmpty()) {
            List<String> extra = new ArrayList<>(weights.keySet());
            extra.removeAll(m.paramNames);
            faults.add("unexpected variables " + extra);
        }
        if (!faults.isEmpty()) {
            int shown = Math.min(3, faults.size());
            throw new ModelException(file, "weights do not match the " + spec.architecture() + " spec in the model card: "
                    + String.join("; ", faults.subList(0, shown)) + (faults.size() > shown ? " (and " + (faults.size() - shown) + " more)" : ""));
        }
        for (String name : m.paramNames) m.graph.paramArray(name).assign(weights.get(name).castTo(DataType.FLOAT));
        m.fast = null;
        return m;
    }

    public VaeSpec spec() {
        return spec;
    }

    /** Training steps taken so far. */
    public long step() {
        return step;
    }

    /** Number of trainable values. */
    public long parameterCount() {
        syncGraph();
        long n = 0;
        for (String p : paramNames) n += graph.paramArray(p).length();
        return n;
    }

    /** The SameDiff graph (for saving). */
    SameDiff sameDiff() {
        syncGraph();
        return sd;
    }

    List<String> parameterNames() {
        return paramNames;
    }

    // ------------------------------------------------------------------ training

    /** KL factor β of the warm-up at the current step, in [0, 1]. */
    public double klWarmup() {
        if (spec.klWarmupSteps() <= 0) return 1.0;
        return Math.min(1.0, (step + 1) / (double) spec.klWarmupSteps());
    }

    /** One Adam step on n images (labels needed for conditional / multi-encoder models). */
    public StepResult trainStep(float[] batch, int[] labels, int n) {
        return trainStep(batch, labels, n, spec.encoderCount() > 1 ? encoderFor(labels == null ? 0 : labels[0]) : 0);
    }

    /**
     * One Adam step through encoder {@code encoder} (multi-encoder: only that encoder and the decoder
     * are updated). A non-finite loss leaves the weights untouched and is returned as is: callers
     * check {@link StepResult#finite()} (the Trainer then restores its last checkpoint).
     */
    public StepResult trainStep(float[] batch, int[] labels, int n, int encoder) {
        checkBatch(batch, n);
        double beta = klWarmup();
        if (engine != null) {
            syncEngine();
            // the same draws in the same order as the SameDiff placeholders: noise, then dropout masks
            float[] eps = spec.architecture().variational() ? gaussian(n * spec.latentSize(), noise) : null;
            StepResult e = engine.step(batch, conditionalLabels(labels, 0, n), eps, dropMasks(n, true), n, beta * spec.klWeight(), encoder);
            StepResult r = new StepResult(e.total(), e.recon(), e.kl(), beta);
            if (!r.finite()) return r;
            graphCurrent = false;
            step++;
            fast = null;
            return r;
        }
        Map<String, INDArray> ph = placeholders(batch, labels, n, encoder, true, beta * spec.klWeight());
        List<String> outs = spec.architecture().variational()
                ? List.of(VaeGraph.LOSS, VaeGraph.RECON, VaeGraph.KL) : List.of(VaeGraph.LOSS, VaeGraph.RECON);
        List<String> group = gradGroups.get(encoder);
        ensureGradFunction();
        OutAndGrad og = sd.calculateGradientsAndOutputs(ph, outs, group);
        Map<String, INDArray> o = og.getOutputs();
        double loss = o.get(VaeGraph.LOSS).getDouble(0);
        double recon = o.get(VaeGraph.RECON).getDouble(0);
        double kl = spec.architecture().variational() ? o.get(VaeGraph.KL).getDouble(0) : 0;
        StepResult r = new StepResult(loss, recon, kl, beta);
        if (!r.finite()) return r;
        // a non-finite gradient with a finite loss shows up as a non-finite loss at the next step,
        // where the Trainer restores the last checkpoint: no per-gradient check (it costs an op each)
        Map<String, INDArray> grads = og.getGradients();
        for (String p : group) {
            INDArray g = grads.get(p);
            if (g == null) continue;
            int t = paramSteps.merge(p, 1, Integer::sum) - 1;
            updaters.get(p).applyUpdater(g, t, 0);
            graph.paramArray(p).subi(g);
        }
        step++;
        fast = null;
        return r;
    }

    /** Clears Adam's moments and step counters (e.g. after restoring a checkpoint). */
    public void resetOptimizer() {
        if (engine != null) {
            syncGraph();
            engineCurrent = false;
        }
        Adam adam = new Adam(spec.learningRate(), spec.beta1(), spec.beta2(), 1e-8);
        updaters.clear();
        updaterState.clear();
        paramSteps.clear();
        for (String p : paramNames) {
            long len = graph.paramArray(p).length();
            INDArray state = Nd4j.zeros(DataType.FLOAT, 1, adam.stateSize(len));
            updaterState.put(p, state);
            updaters.put(p, adam.instantiate(state, true));
        }
    }

    /** Copy of the weights, Adam state and step counter. */
    public Snapshot snapshot() {
        syncGraph();
        Map<String, INDArray> w = new LinkedHashMap<>();
        Map<String, INDArray> st = new HashMap<>();
        for (String p : paramNames) {
            w.put(p, graph.paramArray(p).dup());
            st.put(p, updaterState.get(p).dup());
        }
        return new Snapshot(w, st, new HashMap<>(paramSteps), step);
    }

    /** Restores weights, optimizer state and step counter from a snapshot of this model. */
    public void restore(Snapshot s) {
        syncGraph();
        engineCurrent = false;
        for (String p : paramNames) {
            graph.paramArray(p).assign(s.weights.get(p));
            updaterState.get(p).assign(s.optimizer.get(p));
        }
        paramSteps.clear();
        paramSteps.putAll(s.paramSteps);
        step = s.step;
        fast = null;
    }

    /** In-memory checkpoint: opaque to callers. */
    public static final class Snapshot {
        final Map<String, INDArray> weights;
        final Map<String, INDArray> optimizer;
        final Map<String, Integer> paramSteps;
        final long step;

        Snapshot(Map<String, INDArray> weights, Map<String, INDArray> optimizer, Map<String, Integer> paramSteps, long step) {
            this.weights = weights;
            this.optimizer = optimizer;
            this.paramSteps = paramSteps;
            this.step = step;
        }

        public long step() {
            return step;
        }
    }

    // ------------------------------------------------------------------ inference

    /** μ and log σ² for n images; multi-encoder models route each image by its label. */
    public Encoded encode(float[] batch, int n, int[] labels) {
        return encode(batch, n, labels, -1);
    }

    /** μ and log σ² using encoder {@code encoder} (multi-encoder), or -1 to route by label. */
    public Encoded encode(float[] batch, int n, int[] labels, int encoder) {
        checkBatch(batch, n);
        int d = spec.inputSize();
        return encodeInChunks(n, labels, encoder, (positions, from, m, dst) -> {
            for (int k = 0; k < m; k++) System.arraycopy(batch, positions[from + k] * d, dst, k * d, d);
        });
    }

    /**
     * μ and log σ² of the images of set at indices (routed by their labels), normalised for this
     * model one chunk at a time: encoding a 60,000-image split makes no whole-split copy, which would
     * be a humongous allocation and hundreds of MB of garbage the collector must then clear.
     */
    public Encoded encode(ImageSet set, int[] indices) {
        requireShapeOf(set);
        int[] labels = new int[indices.length];
        for (int i = 0; i < labels.length; i++) labels[i] = set.label(indices[i]);
        int[] setIndices = new int[CHUNK];
        return encodeInChunks(indices.length, labels, -1, (positions, from, m, dst) -> {
            for (int k = 0; k < m; k++) setIndices[k] = indices[positions[from + k]];
            set.fillNormalised(setIndices, 0, m, spec.normalization(), dst);
        });
    }

    /** Throws IllegalArgumentException naming the set unless its images have this model's channels and size. */
    public void requireShapeOf(ImageSet set) {
        if (set.channels() != spec.channels() || set.height() != spec.height() || set.width() != spec.width()) {
            throw new IllegalArgumentException(set.name() + " is " + set.channels() + " " + set.height() + "×" + set.width()
                    + " but the model expects " + spec.channels() + " " + spec.height() + "×" + spec.width());
        }
    }

    /**
     * Input buffers for passes over a set in CHUNK-image pieces: one array for every whole chunk,
     * an exact one for a shorter last chunk (the graph's placeholders take the array's length).
     * A new 1.6-MB array per MNIST chunk made 24 of them per epoch evaluation (2,000 + 10,000
     * images) and 120 per encoding of the 60,000-image training split.
     */
    private static final class ChunkBuffer {
        private final int imageSize;
        private float[] whole;

        ChunkBuffer(int imageSize) {
            this.imageSize = imageSize;
        }

        float[] of(int images) {
            if (images != CHUNK) return new float[images * imageSize];
            if (whole == null) whole = new float[CHUNK * imageSize];
            return whole;
        }
    }

    /** Writes the m images at {@code positions[from..from+m)} of a batch, in model range, into dst. */
    private interface ChunkSource {
        void fill(int[] positions, int from, int m, float[] dst);
    }

    private Encoded encodeInChunks(int n, int[] labels, int encoder, ChunkSource source) {
        int z = spec.latentSize(), d = spec.inputSize();
        float[][] mu = new float[n][], lv = new float[n][];
        int[] route = route(labels, n, encoder);
        ChunkBuffer buffer = new ChunkBuffer(d);
        for (int e = 0; e < spec.encoderCount(); e++) {
            int[] idx = indicesOf(route, e);
            for (int from = 0; from < idx.length; from += CHUNK) {
                int m = Math.min(CHUNK, idx.length - from);
                float[] sub = buffer.of(m);
                source.fill(idx, from, m, sub);
                int[] subLabels = null;
                if (labels != null) {
                    subLabels = new int[m];
                    for (int k = 0; k < m; k++) subLabels[k] = labels[idx[from + k]];
                }
                float[][] out = encodeThrough(e, sub, subLabels, m);
                for (int k = 0; k < m; k++) {
                    int i = idx[from + k];
                    mu[i] = Arrays.copyOfRange(out[0], k * z, (k + 1) * z);
                    if (out[1] != null) {
                        lv[i] = Arrays.copyOfRange(out[1], k * z, (k + 1) * z);
                    } else {
                        lv[i] = new float[z];
                        Arrays.fill(lv[i], Float.NEGATIVE_INFINITY);
                    }
                }
            }
        }
        return new Encoded(mu, lv);
    }

    /** {μ, log σ² (null for a plain autoencoder)} of m images through encoder e, [m, z] each. */
    private float[][] encodeThrough(int e, float[] batch, int[] labels, int m) {
        if (engine != null) {
            syncEngine();
            return engine.encode(batch, conditionalLabels(labels, 0, m), m, e);
        }
        syncGraph();
        // its own noise stream: the ε drawn here is dropped, and encoding must not shift training's draws
        Map<String, INDArray> ph = placeholders(batch, labels, m, e, false, 1.0, new Random(0));
        ph.remove(VaeGraph.EPS);
        ph.remove(VaeGraph.KLW);
        boolean variational = spec.architecture().variational();
        Map<String, INDArray> out = variational ? sd.output(ph, VaeGraph.MU, VaeGraph.LOGVAR) : sd.output(ph, VaeGraph.MU);
        return new float[][] {out.get(VaeGraph.MU).ravel().toFloatVector(),
                variational ? out.get(VaeGraph.LOGVAR).ravel().toFloatVector() : null};
    }

    private static float[] gaussian(int len, Random rnd) {
        float[] v = new float[len];
        for (int i = 0; i < len; i++) v[i] = (float) rnd.nextGaussian();
        return v;
    }

    /** Decodes latent vectors (labels: one per z, conditional models only; may be null otherwise). Model range. */
    public float[][] decode(float[][] z, int[] labels) {
        int n = z.length, zs = spec.latentSize(), d = spec.inputSize();
        float[][] out = new float[n][];
        for (int from = 0; from < n; from += CHUNK) {
            int m = Math.min(CHUNK, n - from);
            float[] flat = new float[m * zs];
            for (int k = 0; k < m; k++) {
                if (z[from + k].length != zs) throw new IllegalArgumentException("z has " + z[from + k].length + " values, latent size is " + zs);
                System.arraycopy(z[from + k], 0, flat, k * zs, zs);
            }
            float[] img;
            if (engine != null) {
                syncEngine();
                img = engine.decode(flat, conditionalLabels(labels, from, m), m);
            } else {
                syncGraph();
                Map<String, INDArray> ph = new HashMap<>();
                ph.put(VaeGraph.Z_IN, Nd4j.create(flat, new long[] {m, zs}, 'c'));
                if (spec.conditional()) ph.put(VaeGraph.LABEL, oneHot(labels, from, m));
                img = sd.outputSingle(ph, VaeGraph.DECODED).ravel().toFloatVector();
            }
            for (int k = 0; k < m; k++) out[from + k] = Arrays.copyOfRange(img, k * d, (k + 1) * d);
        }
        return out;
    }

    /** Converts a decoded image (model range) to the set's stored units (colour [0,1], depth metres). */
    public float[] toStoredUnits(float[] decoded, ImageSet like) {
        return like.denormalise(decoded, spec.normalization());
    }

    /**
     * Converts decoded images (model range, back to back) to stored units: colour clamped to [0,1],
     * the depth plane of RGB-D scaled by depthMaxMetres (the training set's depth scale).
     */
    public static float[] toStoredUnits(VaeSpec spec, float[] decoded, float depthMaxMetres) {
        float[] out = new float[decoded.length];
        int len = spec.inputSize();
        int colourLen = spec.channels().colourCount() * spec.height() * spec.width();
        for (int j = 0; j < decoded.length; j++) {
            float unit = Math.min(1f, Math.max(0f, spec.normalization().invert(decoded[j])));
            out[j] = (j % len) < colourLen ? unit : unit * depthMaxMetres;
        }
        return out;
    }

    /** Decode of the posterior means: deterministic reconstructions, model range. */
    public float[][] reconstruct(float[] batch, int n, int[] labels) {
        Encoded e = encode(batch, n, labels);
        return decode(e.mu(), labels);
    }

    /** n samples from the prior N(0, I) (seeded), decoded with the given label (conditional models). */
    public float[][] sample(int n, long seed, int label) {
        Random r = new Random(seed);
        float[][] z = new float[n][spec.latentSize()];
        for (float[] row : z) for (int j = 0; j < row.length; j++) row[j] = (float) r.nextGaussian();
        int[] labels = new int[n];
        Arrays.fill(labels, label);
        return decode(z, labels);
    }

    /** The plain-Java decoder for single-z decodes, rebuilt lazily after the weights change. */
    public FastDecoder fastDecoder() {
        syncGraph();
        if (fast == null) {
            fast = new FastDecoder(graph.decoderPlan, name -> graph.paramArray(name).dup('c').ravel().toFloatVector(),
                    spec.latentSize(), spec.conditional() ? spec.classCount() : 0, graph.outputAct());
        }
        return fast;
    }

    /** Mean KL per latent dimension over n images (nats); all zeros for a plain autoencoder. */
    public double[] perDimensionKl(float[] batch, int n, int[] labels) {
        if (!spec.architecture().variational() || n == 0) return new double[spec.latentSize()];
        return perDimensionKl(encode(batch, n, labels));
    }

    /** Mean KL per latent dimension over the images of set at indices (normalised chunk by chunk; the shape must match). */
    public double[] perDimensionKl(ImageSet set, int[] indices) {
        if (!spec.architecture().variational() || indices.length == 0) return new double[spec.latentSize()];
        return perDimensionKl(encode(set, indices));
    }

    private double[] perDimensionKl(Encoded e) {
        double[] kl = new double[spec.latentSize()];
        int n = e.mu().length;
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < kl.length; j++) {
                double m = e.mu()[i][j], l = e.logVar()[i][j];
                kl[j] += 0.5 * (Math.exp(l) + m * m - 1 - l);
            }
        }
        for (int j = 0; j < kl.length; j++) kl[j] /= n;
        return kl;
    }

    /**
     * Mean losses per image over a set (KL at full weight k2, one noise draw per image from a fixed
     * seed, so repeated calls agree). At most maxSamples images (≤0: all).
     */
    public Metrics evaluate(ImageSet set, int maxSamples) {
        int n = maxSamples > 0 ? Math.min(maxSamples, set.size()) : set.size();
        if (n == 0) return new Metrics(Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0);
        int[] all = new int[n];
        for (int i = 0; i < n; i++) all[i] = i;
        int[] setLabels = set.labels();
        Random evalNoise = new Random(spec.seed() ^ 0x5EEDL);
        double recon = 0, kl = 0;
        int[] route = route(setLabels, n, -1);
        int d = spec.inputSize();
        ChunkBuffer buffer = new ChunkBuffer(d);
        for (int e = 0; e < spec.encoderCount(); e++) {
            int[] idx = indicesOf(route, e);
            for (int from = 0; from < idx.length; from += CHUNK) {
                int m = Math.min(CHUNK, idx.length - from);
                float[] buf = buffer.of(m);
                set.fillNormalised(idx, from, m, spec.normalization(), buf);
                int[] lab = new int[m];
                for (int k = 0; k < m; k++) lab[k] = setLabels[idx[from + k]];
                if (engine != null) {
                    syncEngine();
                    float[] eps = spec.architecture().variational() ? gaussian(m * spec.latentSize(), evalNoise) : null;
                    double[] sums = engine.lossSums(buf, conditionalLabels(lab, 0, m), eps, m, spec.klWeight(), e);
                    recon += sums[1];
                    kl += sums[2];
                    continue;
                }
                syncGraph();
                Map<String, INDArray> ph = placeholders(buf, lab, m, e, false, spec.klWeight(), evalNoise);
                Map<String, INDArray> out = spec.architecture().variational()
                        ? sd.output(ph, VaeGraph.RECON, VaeGraph.KL) : sd.output(ph, VaeGraph.RECON);
                recon += out.get(VaeGraph.RECON).getDouble(0) * m;
                if (spec.architecture().variational()) kl += out.get(VaeGraph.KL).getDouble(0) * m;
            }
        }
        recon /= n;
        kl /= n;
        double total = spec.reconWeight() * recon + spec.klWeight() * kl;
        double negElbo = spec.reconLoss().isLikelihood() && spec.architecture().variational() ? recon + kl : Double.NaN;
        return new Metrics(total, recon, kl, negElbo, n);
    }

    // ------------------------------------------------------------------ helpers

    /** Encoder index for a label (multi-encoder): the first subset holding it, else 0. */
    public int encoderFor(int label) {
        List<List<Integer>> subsets = spec.encoderClasses();
        for (int e = 0; e < subsets.size(); e++) if (subsets.get(e).contains(label)) return e;
        return 0;
    }

    private int[] route(int[] labels, int n, int encoder) {
        int[] r = new int[n];
        if (spec.encoderCount() > 1) {
            for (int i = 0; i < n; i++) r[i] = encoder >= 0 ? encoder : encoderFor(labels == null ? 0 : labels[i]);
        }
        return r;
    }

    private static int[] indicesOf(int[] route, int e) {
        int c = 0;
        for (int v : route) if (v == e) c++;
        int[] idx = new int[c];
        c = 0;
        for (int i = 0; i < route.length; i++) if (route[i] == e) idx[c++] = i;
        return idx;
    }

    private void checkBatch(float[] batch, int n) {
        if (n < 1) throw new IllegalArgumentException("batch must hold at least one image");
        if (batch.length < n * spec.inputSize())
            throw new IllegalArgumentException("batch has " + batch.length + " values, " + n + " images need " + n * spec.inputSize());
    }

    private Map<String, INDArray> placeholders(float[] batch, int[] labels, int n, int encoder, boolean training, double klw) {
        return placeholders(batch, labels, n, encoder, training, klw, noise);
    }

    private Map<String, INDArray> placeholders(float[] batch, int[] labels, int n, int encoder, boolean training,
                                               double klw, Random rnd) {
        Map<String, INDArray> ph = new HashMap<>();
        int d = spec.inputSize(), z = spec.latentSize();
        float[] x = batch.length == n * d ? batch : Arrays.copyOf(batch, n * d);
        ph.put(VaeGraph.X, Nd4j.create(x, new long[] {n, d}, 'c'));
        if (frozen != null) ph.put(VaeGraph.FEATURES, frozen.features(x, n));
        if (spec.architecture().variational()) {
            float[] eps = new float[n * z];
            for (int i = 0; i < eps.length; i++) eps[i] = (float) rnd.nextGaussian();
            ph.put(VaeGraph.EPS, Nd4j.create(eps, new long[] {n, z}, 'c'));
            ph.put(VaeGraph.KLW, Nd4j.scalar((float) klw));
        }
        if (spec.conditional()) ph.put(VaeGraph.LABEL, oneHot(labels, 0, n));
        if (spec.encoderCount() > 1) {
            for (int e = 0; e < spec.encoderCount(); e++) ph.put(VaeGraph.selName(e), Nd4j.scalar(e == encoder ? 1f : 0f));
        }
        for (Map.Entry<String, float[]> m : dropMasks(n, training).entrySet()) {
            ph.put(m.getKey(), Nd4j.create(m.getValue(), new long[] {n, graph.dropMasks.get(m.getKey())}, 'c'));
        }
        return ph;
    }

    /**
     * Dropout masks by placeholder name, in the graph's order: in training each value is 0 with
     * probability p, else 1/(1 - p), drawn from the model's noise stream; outside training all ones.
     */
    private Map<String, float[]> dropMasks(int n, boolean training) {
        Map<String, float[]> masks = new LinkedHashMap<>();
        for (Map.Entry<String, Integer> m : graph.dropMasks.entrySet()) {
            float[] mask = new float[n * m.getValue()];
            if (training) {
                float keep = (float) (1.0 / (1.0 - spec.dropout()));
                for (int i = 0; i < mask.length; i++) mask[i] = noise.nextDouble() < spec.dropout() ? 0f : keep;
            } else {
                Arrays.fill(mask, 1f);
            }
            masks.put(m.getKey(), mask);
        }
        return masks;
    }

    private INDArray oneHot(int[] labels, int from, int n) {
        return Nd4j.create(oneHotValues(labels, from, n), new long[] {n, spec.classCount()}, 'c');
    }

    /** One-hot rows [n, K] of labels from..from+n-1 for a conditional model; null for other models. */
    private float[] conditionalLabels(int[] labels, int from, int n) {
        return spec.conditional() ? oneHotValues(labels, from, n) : null;
    }

    private float[] oneHotValues(int[] labels, int from, int n) {
        int k = spec.classCount();
        if (labels == null) throw new IllegalArgumentException("a conditional model needs labels");
        float[] v = new float[n * k];
        for (int i = 0; i < n; i++) {
            int l = labels[from + i];
            if (l < 0 || l >= k) throw new IllegalArgumentException("label " + l + " outside 0.." + (k - 1));
            v[i * k + l] = 1f;
        }
        return v;
    }

    /** Current weights by variable name (copies). */
    public Map<String, INDArray> weights() {
        syncGraph();
        Map<String, INDArray> w = new LinkedHashMap<>();
        for (String p : paramNames) w.put(p, graph.paramArray(p).dup());
        return w;
    }

    /** Weights of a loaded SameDiff graph by name (trainable variables only). */
    static Map<String, INDArray> weightsOf(SameDiff loaded) {
        Map<String, INDArray> w = new LinkedHashMap<>();
        for (SDVariable v : loaded.variables()) {
            if (v.getVariableType() == org.nd4j.autodiff.samediff.VariableType.VARIABLE) w.put(v.name(), v.getArr());
        }
        return w;
    }
}
