package org.latentlab.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Executor;
import org.latentlab.data.Dataset;
import org.latentlab.data.ImageSet;
import org.latentlab.model.Metrics;
import org.latentlab.model.ModelCard;
import org.latentlab.model.ModelStore;
import org.latentlab.model.StepResult;
import org.latentlab.model.VaeModel;
import org.latentlab.model.VaeSpec;
import org.latentlab.train.TrainingListener.EpochEvent;
import org.latentlab.train.TrainingListener.Finished;
import org.latentlab.train.TrainingListener.IterationEvent;
import org.latentlab.train.TrainingListener.Outcome;

/**
 * The training loop, as a resumable state machine: {@link #advance()} does one unit of work (one
 * step, or the end-of-epoch evaluation) so the model-service thread can interleave other requests
 * and pause between units; {@link #run()} loops to the end (CLI, bench). Shuffles per epoch from the
 * spec's seed; keeps an in-memory checkpoint (weights + Adam state) at the start and after every
 * epoch; a non-finite loss or gradient stops training and restores the last checkpoint (outcome
 * DIVERGED, with step and reason); cancel restores the last checkpoint too (outcome CANCELLED), so
 * the model left is always the last good one. Multi-encoder models alternate encoders following
 * the spec's alternation counts, each encoder drawing batches only from its class subset.
 * Single-threaded: only the thread that owns the model may call it.
 */
public final class Trainer {
    private final VaeModel model;
    private final VaeSpec spec;
    private final Dataset data;
    private final TrainOptions opt;
    private final TrainingListener listener;
    private final Executor cb;
    private final ImageSet train;
    private final int batchSize, stepsPerEpoch, d;
    private final float[] batch;
    private final int[] batchLabels;
    private final Random shuffle;
    private final int[][] pools;       // per encoder: indices into train
    private final int[] poolPos;
    private final int[] trainLabels;
    private int epoch = 1, iter;       // current epoch (1-based), step within epoch
    private int alternationEncoder, alternationLeft;
    private VaeModel.Snapshot lastGood;
    private int epochsCompleted;
    private long lastEmitNanos, epochStartNanos, epochTrainNanos;
    private final long startNanos;
    private double trainingNanos;
    private Metrics lastTrain, lastTest;
    private volatile boolean cancelRequested;
    private Finished finished;

    public Trainer(VaeModel model, Dataset data, TrainOptions options, TrainingListener listener, Executor callbackExecutor) {
        this.model = model;
        this.spec = model.spec();
        this.data = data;
        this.opt = options;
        this.listener = listener == null ? new TrainingListener() { } : listener;
        this.cb = callbackExecutor == null ? Runnable::run : callbackExecutor;
        this.train = data.train();
        if (train.channels() != spec.channels() || train.height() != spec.height() || train.width() != spec.width()) {
            throw new IllegalArgumentException("dataset " + data.name() + " is " + train.channels() + " " + train.height() + "×"
                    + train.width() + " but the model expects " + spec.channels() + " " + spec.height() + "×" + spec.width());
        }
        if (train.size() == 0) throw new IllegalArgumentException("dataset " + data.name() + " has no training images");
        this.d = spec.inputSize();
        this.batchSize = Math.min(spec.batchSize(), train.size());
        int spe = (train.size() + batchSize - 1) / batchSize;
        this.stepsPerEpoch = opt.maxStepsPerEpoch() > 0 ? Math.min(spe, opt.maxStepsPerEpoch()) : spe;
        this.batch = new float[batchSize * d];
        this.batchLabels = new int[batchSize];
        this.shuffle = new Random(spec.seed());
        this.trainLabels = train.labels();
        int encoders = spec.encoderCount();
        pools = new int[encoders][];
        poolPos = new int[encoders];
        for (int e = 0; e < encoders; e++) {
            List<Integer> idx = new ArrayList<>();
            for (int i = 0; i < train.size(); i++) {
                if (encoders == 1 || model.encoderFor(trainLabels[i]) == e && spec.encoderClasses().get(e).contains(trainLabels[i])) idx.add(i);
            }
            if (idx.isEmpty()) throw new IllegalArgumentException("encoder " + e + " has no training images of classes " + spec.encoderClasses().get(e));
            pools[e] = idx.stream().mapToInt(Integer::intValue).toArray();
            shuffleInPlace(pools[e]);
        }
        alternationLeft = encoders > 1 ? spec.alternation().get(0) : Integer.MAX_VALUE;
        lastGood = model.snapshot();
        startNanos = System.nanoTime();
        epochStartNanos = startNanos;
    }

    /** Asks the loop to stop at the next unit; the last checkpoint is restored. Any thread. */
    public void cancel() {
        cancelRequested = true;
    }

    public boolean isFinished() {
        return finished != null;
    }

    public Finished finished() {
        return finished;
    }

    public VaeModel model() {
        return model;
    }

    /** Runs to the end on the calling thread. */
    public Finished run() {
        while (advance()) {
            // loop
        }
        return finished;
    }

    /** One unit of work. Returns false when training has finished (see {@link #finished()}). */
    public boolean advance() {
        if (finished != null) return false;
        try {
            if (cancelRequested) {
                model.restore(lastGood);
                finish(Outcome.CANCELLED, "cancelled; kept the model of " + (epochsCompleted == 0 ? "the start" : "epoch " + epochsCompleted));
                return false;
            }
            if (iter < stepsPerEpoch) {
                trainOneStep();
                return finished == null;
            }
            endEpoch();
            return finished == null;
        } catch (RuntimeException e) {
            try {
                model.restore(lastGood);
            } catch (RuntimeException ignored) {
                // keep the first error
            }
            finish(Outcome.FAILED, "training failed at step " + (model.step() + 1) + ": " + e);
            return false;
        }
    }

    private void trainOneStep() {
        long t0 = System.nanoTime();
        int e = 0;
        if (pools.length > 1) {
            if (alternationLeft == 0) {
                alternationEncoder = (alternationEncoder + 1) % pools.length;
                alternationLeft = spec.alternation().get(alternationEncoder);
            }
            alternationLeft--;
            e = alternationEncoder;
        }
        if (pools.length == 1 && iter == 0 && epoch > 1) { // a fresh shuffle per epoch
            shuffleInPlace(pools[0]);
            poolPos[0] = 0;
        }
        int n = Math.min(batchSize, pools[e].length);
        if (pools.length == 1 && poolPos[0] < pools[0].length) n = Math.min(n, pools[0].length - poolPos[0]);
        fillBatch(e, n);
        StepResult r = model.trainStep(batch, batchLabels, n, e);
        long now = System.nanoTime();
        epochTrainNanos += now - t0;
        trainingNanos += now - t0;
        iter++;
        if (!r.finite()) {
            long badStep = model.step() + 1;
            model.restore(lastGood);
            String what = Double.isNaN(r.total()) ? "NaN" : "infinite";
            finish(Outcome.DIVERGED, "loss became " + what + " at step " + badStep + " (epoch " + epoch + ", total " + r.total()
                    + ", recon " + r.recon() + ", KL " + r.kl() + "); restored the weights of "
                    + (epochsCompleted == 0 ? "the start" : "epoch " + epochsCompleted) + ". Try a lower learning rate.", badStep);
            return;
        }
        boolean last = iter == stepsPerEpoch;
        if (last || now - lastEmitNanos >= (long) (1e9 / opt.maxEventsPerSecond())) {
            lastEmitNanos = now;
            double sps = iter * (double) batchSize / (epochTrainNanos / 1e9);
            IterationEvent ev = new IterationEvent(model.step(), epoch, iter, stepsPerEpoch, r.total(), r.recon(), r.kl(), r.klWarmup(), sps);
            cb.execute(() -> listener.onIteration(ev));
        }
    }

    private void fillBatch(int e, int n) {
        int[] pool = pools[e];
        if (poolPos[e] + n > pool.length) {
            shuffleInPlace(pool);
            poolPos[e] = 0;
        }
        train.fillNormalised(pool, poolPos[e], n, spec.normalization(), batch);
        for (int k = 0; k < n; k++) batchLabels[k] = trainLabels[pool[poolPos[e] + k]];
        poolPos[e] += n;
    }

    private void endEpoch() {
        double epochSps = iter * (double) batchSize / Math.max(1e-9, epochTrainNanos / 1e9);
        // the first trainEvalSamples images (0: all), read in place: a copy of them was 6 MB of
        // garbage per MNIST epoch, a large-array allocation that starts a collection in the app
        lastTrain = model.evaluate(train, opt.trainEvalSamples());
        ImageSet test = data.test();
        lastTest = test.size() > 0 ? model.evaluate(test, opt.testEvalSamples()) : null;
        int p = Math.min(opt.previewCount(), test.size() > 0 ? test.size() : train.size());
        ImageSet src = test.size() > 0 ? test : train;
        float[][] originals = new float[p][];
        float[][] recon = new float[0][];
        int[] labels = new int[p];
        if (p > 0) {
            int[] idx = new int[p];
            for (int i = 0; i < p; i++) idx[i] = i;
            float[] buf = new float[p * d];
            src.fillNormalised(idx, 0, p, spec.normalization(), buf);
            for (int i = 0; i < p; i++) {
                originals[i] = src.sample(i);
                labels[i] = src.label(i);
            }
            float[][] r = model.reconstruct(buf, p, labels);
            recon = new float[p][];
            for (int i = 0; i < p; i++) recon[i] = src.denormalise(r[i], spec.normalization());
        }
        epochsCompleted = epoch;
        lastGood = model.snapshot();
        if (opt.checkpointFile() != null) ModelStore.save(model, card(Outcome.COMPLETED.name()), opt.checkpointFile());
        double elapsed = (System.nanoTime() - startNanos) / 1e9;
        double eta = elapsed / epoch * (opt.epochs() - epoch);
        EpochEvent ev = new EpochEvent(epoch, opt.epochs(), model.step(), lastTrain, lastTest, elapsed, eta, epochSps,
                originals, recon, labels);
        cb.execute(() -> listener.onEpoch(ev));
        if (epoch >= opt.epochs()) {
            finish(Outcome.COMPLETED, "completed " + epoch + " epochs");
            return;
        }
        epoch++;
        iter = 0;
        epochTrainNanos = 0;
        epochStartNanos = System.nanoTime();
    }

    private void finish(Outcome o, String message) {
        finish(o, message, model.step());
    }

    private void finish(Outcome o, String message, long step) {
        finished = new Finished(o, step, epochsCompleted, message);
        Finished f = finished;
        cb.execute(() -> listener.onFinished(f));
    }

    /** The model card for the current state. */
    public ModelCard card(String stopReason) {
        ImageSet t = data.train();
        return new ModelCard(opt.name(), spec, data.name(), t.classNames(), t.depthMaxMetres(), epochsCompleted,
                model.step(), lastTrain, lastTest, spec.seed(), java.time.Instant.now().toString(), trainingNanos / 1e9,
                ModelCard.LATENT_LAB_VERSION, ModelCard.currentNd4jVersion(), stopReason);
    }

    private void shuffleInPlace(int[] a) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = shuffle.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
