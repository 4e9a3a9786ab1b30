package org.latentlab.train;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.latentlab.data.Dataset;
import org.latentlab.data.ImageSet;
import org.latentlab.model.Encoded;
import org.latentlab.model.FastDecoder;
import org.latentlab.model.Metrics;
import org.latentlab.model.ModelCard;
import org.latentlab.model.ModelException;
import org.latentlab.model.ModelStore;
import org.latentlab.model.NativeSetup;
import org.latentlab.model.VaeModel;
import org.latentlab.model.VaeSpec;

/**
 * The one place that owns models and does ND4J work: a single thread named "model-service".
 * Every public method returns at once; results come as CompletableFutures completed on the
 * callback executor given to the constructor (the UI passes {@code Platform::runLater}, tests a
 * direct executor). Several models may be loaded at once, each known by a {@link ModelHandle}.
 * Training runs step by step on the same thread, so decode and encode requests interleave with it.
 * The one exception is the sliders' latest-wins decode of a loaded model: its FastDecoder copy (Java
 * loops and single-threaded sgemm, no ND4J) on its own thread ("slider-decoder"), so that dragging
 * stays smooth while a model trains.
 * Images going in are ImageSets (normalised here with the model's spec); images coming out are in
 * the ImageSet's stored units (colour [0,1], depth metres), one float[] per image in sample layout.
 */
public final class ModelService implements AutoCloseable {
    /** Time a training slice may hold the thread before queued requests get their turn. */
    private static final long SLICE_NANOS = 30_000_000L;

    private final ExecutorService exec;
    /** Runs slider decodes of loaded models (FastDecoder, no ND4J): they never wait behind a training slice. */
    private final ThreadPoolExecutor sliderExec;
    private final Executor callbacks;
    private final Map<Long, Slot> models = new ConcurrentHashMap<>();
    private final AtomicLong ids = new AtomicLong();
    private final AtomicLong latestRuns = new AtomicLong();
    private volatile Thread serviceThread;

    private static final class Slot {
        volatile ModelHandle handle;
        VaeModel model;                                  // service thread only
        /** The model's decoder for sliders, set once the model's weights are final (null while training). */
        volatile FastDecoder sliderDecoder;
        final AtomicReference<DecodeRequest> latest = new AtomicReference<>();
        Slot(ModelHandle h) {
            handle = h;
        }
    }

    private record DecodeRequest(float[] z, int label, Consumer<float[]> onImage) {
    }

    /**
     * A service whose futures and callbacks complete on {@code callbackExecutor}. With
     * {@code behindUi} (the app) its thread, which trains, runs at a lower priority than the JavaFX
     * thread ({@link BackgroundPriority}); the command line keeps the normal one.
     */
    public ModelService(Executor callbackExecutor, boolean behindUi) {
        NativeSetup.init();
        this.callbacks = callbackExecutor;
        this.exec = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "model-service");
            t.setDaemon(true);
            serviceThread = t;
            return t;
        });
        // started here, so that it never inherits the lowered priority of the service thread
        this.sliderExec = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, "slider-decoder");
            t.setDaemon(true);
            return t;
        });
        sliderExec.prestartAllCoreThreads();
        exec.execute(() -> {
            // before the engine starts its part threads, which inherit the nice value
            if (behindUi) BackgroundPriority.lowerCurrentThread();
            NativeSetup.initNd4j();
            NativeSetup.setMatrixThreads(NativeSetup.threadsBesideUi());
        });
    }

    /** A service at the normal priority completing futures directly on the model-service thread. */
    public ModelService() {
        this(Runnable::run, false);
    }

    // ------------------------------------------------------------------ models

    /** Loads a model zip. Fails with ModelException naming the file. */
    public CompletableFuture<ModelHandle> load(Path file) {
        return call(() -> {
            ModelStore.Loaded l = ModelStore.load(file);
            ModelCard card = l.card();
            if (card.name() == null || card.name().isBlank()) card = card.withName(stem(file));
            return register(l.model(), card);
        });
    }

    /** A new untrained model of a spec (e.g. to inspect decodes before training). */
    public CompletableFuture<ModelHandle> create(VaeSpec spec, String name) {
        return call(() -> register(VaeModel.create(spec), ModelCard.untrained(name, spec)));
    }

    /** Saves atomically; completes with the absolute path. */
    public CompletableFuture<Path> save(ModelHandle h, Path file) {
        return call(() -> {
            Slot s = slot(h);
            ModelCard card = s.handle.card().withCreatedNow();
            return ModelStore.save(s.model, card, file);
        });
    }

    /** Forgets a model (frees its memory). */
    public CompletableFuture<Void> unload(ModelHandle h) {
        return call(() -> {
            models.remove(h.id());
            return null;
        });
    }

    /** Current handle (with the newest card) for an id, or null. */
    public ModelHandle handle(long id) {
        Slot s = models.get(id);
        return s == null ? null : s.handle;
    }

    // ------------------------------------------------------------------ training

    /**
     * Starts training a new model of {@code spec} on {@code data}. Listener events go to
     * {@code callbackExecutor}; the job's result future completes on the service's callback executor.
     */
    public TrainingJob train(VaeSpec spec, Dataset data, TrainOptions options, TrainingListener listener,
                             Executor callbackExecutor) {
        spec.validate();
        long id = ids.incrementAndGet();
        Slot slot = new Slot(new ModelHandle(id, spec, ModelCard.untrained(options.name(), spec)));
        models.put(id, slot);
        Job job = new Job(slot, spec, data, options, listener, callbackExecutor);
        submitSlice(job);
        return job;
    }

    private final class Job implements TrainingJob {
        final Slot slot;
        final VaeSpec spec;
        final Dataset data;
        final TrainOptions options;
        final TrainingListener listener;
        final Executor listenerExec;
        final CompletableFuture<ModelHandle> result = new CompletableFuture<>();
        volatile boolean paused;
        volatile boolean cancelled;
        volatile boolean sliceQueued;
        Trainer trainer;   // service thread only

        Job(Slot slot, VaeSpec spec, Dataset data, TrainOptions options, TrainingListener listener, Executor listenerExec) {
            this.slot = slot;
            this.spec = spec;
            this.data = data;
            this.options = options;
            this.listener = listener;
            this.listenerExec = listenerExec == null ? callbacks : listenerExec;
        }

        @Override public ModelHandle handle() { return slot.handle; }

        @Override public synchronized void pause() {
            if (paused || result.isDone()) return;
            paused = true;
            listenerExec.execute(() -> listener.onPaused(true));
        }

        @Override public synchronized void resume() {
            if (!paused) return;
            paused = false;
            listenerExec.execute(() -> listener.onPaused(false));
            submitSlice(this);
        }

        @Override public void cancel() {
            cancelled = true;
            Trainer t = trainer;
            if (t != null) t.cancel();
            synchronized (this) {
                paused = false;
            }
            submitSlice(this);
        }

        @Override public boolean isPaused() { return paused; }

        @Override public CompletableFuture<ModelHandle> result() { return result; }

        @Override public TrainingListener.Finished outcome() {
            Trainer t = trainer;
            return t == null ? null : t.finished();
        }

        /** Runs steps for up to one slice; requeues itself unless paused or finished. */
        void slice() {
            sliceQueued = false;
            if (result.isDone()) return;
            try {
                if (trainer == null) {
                    VaeModel m = VaeModel.create(spec);
                    slot.model = m;
                    trainer = new Trainer(m, data, options, listener, listenerExec);
                    if (cancelled) trainer.cancel();
                }
                long end = System.nanoTime() + SLICE_NANOS;
                boolean more = true;
                while (more && !paused && System.nanoTime() < end) {
                    if (cancelled) trainer.cancel();
                    more = trainer.advance();
                }
                if (!more) {
                    TrainingListener.Finished f = trainer.finished();
                    slot.handle = new ModelHandle(slot.handle.id(), spec, trainer.card(f.outcome().name()));
                    slot.sliderDecoder = slot.model.fastDecoder();
                    ModelHandle h = slot.handle;
                    callbacks.execute(() -> result.complete(h));
                } else if (!paused) {
                    submitSlice(this);
                }
            } catch (Throwable t) {
                if (slot.model == null) models.remove(slot.handle.id());
                TrainingListener.Finished f = new TrainingListener.Finished(TrainingListener.Outcome.FAILED, 0, 0, String.valueOf(t));
                listenerExec.execute(() -> listener.onFinished(f));
                callbacks.execute(() -> result.completeExceptionally(t));
            }
        }
    }

    private void submitSlice(Job job) {
        synchronized (job) {
            if (job.sliceQueued) return;
            job.sliceQueued = true;
        }
        try {
            exec.execute(job::slice);
        } catch (RejectedExecutionException e) {
            job.result.completeExceptionally(new IllegalStateException("model service is closed"));
        }
    }

    // ------------------------------------------------------------------ inference

    /** Posterior μ, log σ² (and σ via {@link Encoded#sigma()}) of the images at indices. */
    public CompletableFuture<Encoded> encode(ModelHandle h, ImageSet set, int[] indices) {
        return call(() -> {
            VaeModel m = model(h);
            return m.encode(set, indices);
        });
    }

    /** Decodes latent vectors to images in stored units. labels: per z (conditional models), else null. */
    public CompletableFuture<float[][]> decode(ModelHandle h, float[][] z, int[] labels) {
        return call(() -> {
            VaeModel m = model(h);
            return stored(h, m.decode(z, labels));
        });
    }

    /**
     * Latest-wins single decode for sliders (FastDecoder, on the slider thread once the model's
     * weights are final). While a decode is queued, a newer request replaces it: stale requests are
     * dropped, never queued. {@code onImage} gets the image in stored units on the callback executor.
     */
    public void decodeLatest(ModelHandle h, float[] z, int label, Consumer<float[]> onImage) {
        Slot s = models.get(h.id());
        if (s == null) throw new IllegalArgumentException("unknown model " + h.id());
        DecodeRequest req = new DecodeRequest(z.clone(), label, onImage);
        if (s.latest.getAndSet(req) == null) {
            try {
                // a model still training is decoded between its slices, with its current weights
                (s.sliderDecoder != null ? sliderExec : exec).execute(() -> runLatestDecode(s));
            } catch (RejectedExecutionException e) {
                // closed (the app is exiting): a slider value that arrives now has nowhere to be shown
                s.latest.set(null);
            }
        }
    }

    private void runLatestDecode(Slot s) {
        FastDecoder decoder = s.sliderDecoder;
        if (decoder != null && onServiceThread()) {
            // training ended since this was queued: later requests go to the slider thread, so this
            // one does too, and the images arrive in the order of the requests
            sliderExec.execute(() -> runLatestDecode(s));
            return;
        }
        DecodeRequest r = s.latest.getAndSet(null);
        if (r == null) return;
        if (decoder == null) {
            if (s.model == null || !onServiceThread()) return;
            decoder = s.model.fastDecoder();
        }
        latestRuns.incrementAndGet();
        float[] img = decoder.decode(r.z(), r.label());
        float[] out = VaeModel.toStoredUnits(s.handle.spec(), img, s.handle.card().depthMaxMetres());
        callbacks.execute(() -> r.onImage().accept(out));
    }

    /** Number of decodeLatest requests actually run (the rest were superseded). */
    public long decodeLatestRuns() {
        return latestRuns.get();
    }

    /** Reconstructions (decode of μ) of the images at indices, stored units. */
    public CompletableFuture<float[][]> reconstruct(ModelHandle h, ImageSet set, int[] indices) {
        return call(() -> {
            VaeModel m = model(h);
            float[][] r = m.reconstruct(normalised(m, set, indices), indices.length, labelsOf(set, indices));
            float[][] out = new float[r.length][];
            for (int i = 0; i < r.length; i++) out[i] = set.denormalise(r[i], m.spec().normalization());
            return out;
        });
    }

    /** n samples from the prior (seeded), decoded with label (conditional models), stored units. */
    public CompletableFuture<float[][]> sample(ModelHandle h, int n, long seed, int label) {
        return call(() -> stored(h, model(h).sample(n, seed, label)));
    }

    /** Mean KL per latent dimension over at most maxSamples images of set (≤0: all). */
    public CompletableFuture<double[]> perDimensionKl(ModelHandle h, ImageSet set, int maxSamples) {
        return call(() -> {
            VaeModel m = model(h);
            int n = maxSamples > 0 ? Math.min(maxSamples, set.size()) : set.size();
            int[] idx = new int[n];
            for (int i = 0; i < n; i++) idx[i] = i;
            return m.perDimensionKl(set, idx);
        });
    }

    /** Mean total / recon / KL per image and ELBO (nats, BCE only) over the whole set. */
    public CompletableFuture<Metrics> evaluate(ModelHandle h, ImageSet set) {
        return call(() -> model(h).evaluate(set, 0));
    }

    /** Stops the model-service thread at once; queued work and running training jobs are abandoned (their futures do not complete). */
    @Override
    public void close() {
        exec.shutdownNow();
        sliderExec.shutdownNow();
        try {
            exec.awaitTermination(5, TimeUnit.SECONDS);
            sliderExec.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ------------------------------------------------------------------ plumbing

    /** Runs work on the model-service thread (package-private: tests and other train classes). */
    <T> CompletableFuture<T> call(Callable<T> work) {
        CompletableFuture<T> f = new CompletableFuture<>();
        try {
            exec.execute(() -> {
                try {
                    T v = work.call();
                    callbacks.execute(() -> f.complete(v));
                } catch (Throwable t) {
                    callbacks.execute(() -> f.completeExceptionally(t));
                }
            });
        } catch (RejectedExecutionException e) {
            f.completeExceptionally(new IllegalStateException("model service is closed"));
        }
        return f;
    }

    boolean onServiceThread() {
        return Thread.currentThread() == serviceThread;
    }

    private ModelHandle register(VaeModel m, ModelCard card) {
        long id = ids.incrementAndGet();
        Slot s = new Slot(new ModelHandle(id, m.spec(), card));
        s.model = m;
        s.sliderDecoder = m.fastDecoder();
        models.put(id, s);
        return s.handle;
    }

    private Slot slot(ModelHandle h) {
        Slot s = models.get(h.id());
        if (s == null || s.model == null) throw new IllegalArgumentException("model " + h.id() + " is not loaded");
        return s;
    }

    private VaeModel model(ModelHandle h) {
        return slot(h).model;
    }

    private float[][] stored(ModelHandle h, float[][] decoded) {
        Slot s = slot(h);
        float[][] out = new float[decoded.length][];
        for (int i = 0; i < decoded.length; i++) {
            out[i] = VaeModel.toStoredUnits(s.handle.spec(), decoded[i], s.handle.card().depthMaxMetres());
        }
        return out;
    }

    private static float[] normalised(VaeModel m, ImageSet set, int[] indices) {
        m.requireShapeOf(set);
        VaeSpec s = m.spec();
        float[] buf = new float[indices.length * s.inputSize()];
        set.fillNormalised(indices, 0, indices.length, s.normalization(), buf);
        return buf;
    }

    private static int[] labelsOf(ImageSet set, int[] indices) {
        int[] l = new int[indices.length];
        for (int i = 0; i < l.length; i++) l[i] = set.label(indices[i]);
        return l;
    }

    private static String stem(Path file) {
        String n = file.getFileName().toString();
        return n.endsWith(ModelStore.EXTENSION) ? n.substring(0, n.length() - ModelStore.EXTENSION.length()) : n;
    }

}
