package org.latentlab.train;

import static org.junit.jupiter.api.Assertions.*;

import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentlab.data.Channels;
import org.latentlab.data.Dataset;
import org.latentlab.data.ImageSet;
import org.latentlab.model.Architecture;
import org.latentlab.model.Encoded;
import org.latentlab.model.Metrics;
import org.latentlab.model.ModelException;
import org.latentlab.model.TestData;
import org.latentlab.model.VaeSpec;
import org.latentlab.train.TrainingListener.Outcome;

class ModelServiceTest {
    static ModelService service;

    @BeforeAll
    static void start() {
        service = new ModelService(); // direct callbacks
    }

    @AfterAll
    static void stop() {
        service.close();
    }

    static VaeSpec mlp() {
        return VaeSpec.mlp(Channels.GRAY, 16, 16, 4).withHiddenSizes(List.of(32)).withBatchSize(32);
    }

    static <T> T get(java.util.concurrent.CompletableFuture<T> f) throws Exception {
        return f.get(120, TimeUnit.SECONDS);
    }

    /** Records events; checks they arrive off the model-service thread only via the given executor. */
    static final class Recorder implements TrainingListener {
        final List<IterationEvent> its = new CopyOnWriteArrayList<>();
        final List<EpochEvent> epochs = new CopyOnWriteArrayList<>();
        final AtomicReference<Finished> finished = new AtomicReference<>();
        final CountDownLatch firstEpoch = new CountDownLatch(1);
        public void onIteration(IterationEvent e) { its.add(e); }
        public void onEpoch(EpochEvent e) { epochs.add(e); firstEpoch.countDown(); }
        public void onFinished(Finished f) { finished.set(f); }
    }

    @Test
    void trainsEvaluatesSavesAndLoads(@TempDir Path dir) throws Exception {
        Dataset data = TestData.dataset(256, 64, Channels.GRAY, 16, 16, 4, 3);
        Recorder rec = new Recorder();
        TrainingJob job = service.train(mlp(), data, TrainOptions.epochs(2).withName("svc"), rec, Runnable::run);
        ModelHandle h = get(job.result());
        assertEquals(Outcome.COMPLETED, rec.finished.get().outcome());
        assertEquals(2, rec.epochs.size());
        assertEquals(2, h.card().epochs());
        assertEquals(16, h.card().steps());
        assertFalse(rec.its.isEmpty());
        TrainingListener.EpochEvent e = rec.epochs.get(1);
        assertEquals(8, e.originals().length);
        assertEquals(256, e.reconstructions()[0].length);
        assertTrue(e.test().negElbo() > 0);
        Metrics m = get(service.evaluate(h, data.test()));
        assertEquals(e.test().total(), m.total(), 1e-3);
        Encoded enc = get(service.encode(h, data.test(), new int[] {0, 1, 2}));
        assertEquals(3, enc.mu().length);
        assertEquals(3, get(service.reconstruct(h, data.test(), new int[] {0, 1, 2})).length);
        assertEquals(4, get(service.perDimensionKl(h, data.test(), 32)).length);
        // a set of another shape is refused with its name, by encode and by per-dimension KL
        ImageSet rgb = TestData.dataset(8, 8, Channels.RGB, 16, 16, 4, 3).test();
        for (var call : List.<java.util.concurrent.Callable<?>>of(() -> get(service.encode(h, rgb, new int[] {0})),
                () -> get(service.perDimensionKl(h, rgb, 4)))) {
            var err = assertThrows(java.util.concurrent.ExecutionException.class, call::call);
            assertTrue(err.getCause() instanceof IllegalArgumentException, String.valueOf(err.getCause()));
            assertTrue(err.getCause().getMessage().contains(rgb.name()) && err.getCause().getMessage().contains("model expects"),
                    err.getCause().getMessage());
        }
        float[][] s = get(service.sample(h, 5, 1, 0));
        assertEquals(5, s.length);
        Path f = get(service.save(h, dir.resolve("svc.zip")));
        ModelHandle back = get(service.load(f));
        assertNotEquals(h.id(), back.id());
        assertEquals("svc", back.name());
        assertArrayEquals(s[2], get(service.sample(back, 5, 1, 0))[2], 1e-6f);
        var err = assertThrows(java.util.concurrent.ExecutionException.class, () -> get(service.load(dir.resolve("none.zip"))));
        assertInstanceOf(ModelException.class, err.getCause());
    }

    @Test
    void nanLossStopsAndRestoresLastGoodWeights() throws Exception {
        ImageSet good = TestData.blobs(64, Channels.GRAY, 16, 16, 4, 3);
        float[] d = new float[64 * 256];
        for (int i = 0; i < 64; i++) System.arraycopy(good.sample(i), 0, d, i * 256, 256);
        d[5 * 256 + 17] = Float.NaN; // one poisoned pixel
        ImageSet bad = new ImageSet("bad", Channels.GRAY, 16, 16, d, good.labels(), good.classNames());
        Dataset data = new Dataset("bad", "synthetic", null, bad, good.head(16));
        Recorder rec = new Recorder();
        VaeSpec spec = mlp();
        TrainingJob job = service.train(spec, data, TrainOptions.epochs(3), rec, Runnable::run);
        ModelHandle h = get(job.result());
        TrainingListener.Finished f = rec.finished.get();
        assertEquals(Outcome.DIVERGED, f.outcome());
        assertTrue(f.message().contains("NaN") && f.message().contains("step " + f.step()), f.message());
        assertTrue(f.step() >= 1 && f.step() <= 2, "poisoned image is in the first epoch's 2 batches: " + f.step());
        // last good = the initial weights: same as a fresh model of the same seed
        ModelHandle fresh = get(service.create(spec, "fresh"));
        assertArrayEquals(get(service.sample(fresh, 2, 9, 0))[1], get(service.sample(h, 2, 9, 0))[1], 0f);
        assertEquals("DIVERGED", h.card().stopReason());
    }

    /** A run of 10,000 epochs (cancelled by the test) once its first epoch has ended. */
    private static TrainingJob longTrainingPastItsFirstEpoch(Recorder rec) throws InterruptedException {
        Dataset data = TestData.dataset(256, 32, Channels.GRAY, 16, 16, 4, 3);
        TrainingJob job = service.train(mlp(), data, TrainOptions.epochs(10_000), rec, Runnable::run);
        assertTrue(rec.firstEpoch.await(120, TimeUnit.SECONDS));
        return job;
    }

    @Test
    void cancelKeepsLastGoodModel() throws Exception {
        Recorder rec = new Recorder();
        TrainingJob job = longTrainingPastItsFirstEpoch(rec);
        job.pause();
        assertTrue(job.isPaused());
        job.resume();
        job.cancel();
        ModelHandle h = get(job.result());
        assertEquals(Outcome.CANCELLED, rec.finished.get().outcome());
        assertTrue(h.card().epochs() >= 1);
        assertEquals(h.card().epochs() * 8L, h.card().steps(), "weights of the last completed epoch");
        assertEquals(3, get(service.sample(h, 3, 1, 0)).length, "model stays usable");
    }

    @Test
    void decodeLatestDropsStaleRequests() throws Exception {
        ModelHandle h = get(service.create(VaeModelSpecs.conv(), "conv"));
        // the first decode holds the slider thread in its callback while 49 more values arrive
        CountDownLatch entered = new CountDownLatch(1);
        CountDownLatch hold = new CountDownLatch(1);
        long before = service.decodeLatestRuns();
        service.decodeLatest(h, new float[] {0, 0, 0, 0}, 0, img -> {
            entered.countDown();
            awaitQuietly(hold);
        });
        List<float[]> delivered = new CopyOnWriteArrayList<>();
        CountDownLatch got = new CountDownLatch(1);
        int submissions = 50;
        float[] last = null;
        try {
            assertTrue(entered.await(60, TimeUnit.SECONDS));
            for (int i = 1; i < submissions; i++) {
                float[] z = {i * 0.1f, -i * 0.05f, 0.3f, 1f};
                last = z;
                service.decodeLatest(h, z, 0, img -> { delivered.add(img); got.countDown(); });
            }
        } finally {
            hold.countDown(); // never leave the shared slider thread blocked for the tests after this one
        }
        assertTrue(got.await(60, TimeUnit.SECONDS));
        assertEquals(2, service.decodeLatestRuns() - before, "the first value and the last one, none between");
        assertEquals(1, delivered.size());
        float[] expected = get(service.decode(h, new float[][] {last}, null))[0];
        assertArrayEquals(expected, delivered.get(0), 1e-5f);
    }

    @Test
    void sliderDecodesOfALoadedModelDoNotWaitForTheServiceThread() throws Exception {
        ModelHandle h = get(service.create(VaeModelSpecs.conv(), "conv"));
        CountDownLatch hold = new CountDownLatch(1);
        var busy = service.call(() -> hold.await(60, TimeUnit.SECONDS)); // as a long training slice would
        float[] z = {0.5f, -1f, 0.25f, 2f};
        AtomicReference<float[]> image = new AtomicReference<>();
        AtomicReference<String> thread = new AtomicReference<>();
        CountDownLatch got = new CountDownLatch(1);
        service.decodeLatest(h, z, 0, img -> {
            image.set(img);
            thread.set(Thread.currentThread().getName());
            got.countDown();
        });
        boolean arrivedWhileBusy = got.await(30, TimeUnit.SECONDS);
        hold.countDown();
        get(busy);
        assertTrue(arrivedWhileBusy, "the decode waited for the service thread");
        assertEquals("slider-decoder", thread.get());
        assertArrayEquals(get(service.decode(h, new float[][] {z}, null))[0], image.get(), 1e-5f);
    }

    @Test
    void aModelInTrainingIsDecodedBetweenItsSlicesOnTheServiceThread() throws Exception {
        TrainingJob job = longTrainingPastItsFirstEpoch(new Recorder());
        AtomicReference<String> thread = new AtomicReference<>();
        CountDownLatch got = new CountDownLatch(1);
        service.decodeLatest(job.handle(), new float[] {0, 1, 0, -1}, 0, img -> {
            thread.set(Thread.currentThread().getName());
            got.countDown();
        });
        assertTrue(got.await(60, TimeUnit.SECONDS));
        job.cancel();
        get(job.result());
        assertEquals("model-service", thread.get());
    }

    @Test
    void aServiceBehindTheUiLowersOnlyItsOwnThread() throws Exception {
        int mine = BackgroundPriorityTest.niceWithRoomFor(BackgroundPriority.NICE_STEPS);
        try (ModelService behind = new ModelService(Runnable::run, true)) {
            assertEquals(OptionalInt.of(mine + BackgroundPriority.NICE_STEPS), get(behind.call(BackgroundPriority::currentNice)));
            ModelHandle h = get(behind.create(VaeModelSpecs.conv(), "conv"));
            AtomicReference<OptionalInt> sliderNice = new AtomicReference<>();
            CountDownLatch got = new CountDownLatch(1);
            behind.decodeLatest(h, new float[4], 0, img -> {
                sliderNice.set(BackgroundPriority.currentNice());
                got.countDown();
            });
            assertTrue(got.await(60, TimeUnit.SECONDS));
            assertEquals(OptionalInt.of(mine), sliderNice.get(), "slider decodes keep the normal priority");
        }
        assertEquals(OptionalInt.of(mine), BackgroundPriority.currentNice(), "the thread that made the service is not lowered");
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static final class VaeModelSpecs {
        static VaeSpec conv() {
            return VaeSpec.conv(Channels.GRAY, 16, 16, 4).withConvFilters(List.of(8, 16)).withHiddenSizes(List.of(32));
        }
    }

    @Test
    void multiEncoderAlternatesAndTrains() throws Exception {
        Dataset data = TestData.dataset(128, 32, Channels.GRAY, 16, 16, 4, 3);
        VaeSpec spec = VaeSpec.multiEncoder(Channels.GRAY, 16, 16, 4, 4, List.of(List.of(0, 1), List.of(2, 3)), List.of(1, 3))
                .withHiddenSizes(List.of(32)).withBatchSize(16);
        Recorder rec = new Recorder();
        ModelHandle h = get(service.train(spec, data, TrainOptions.epochs(2), rec, Runnable::run).result());
        assertEquals(Outcome.COMPLETED, rec.finished.get().outcome(), String.valueOf(rec.finished.get()));
        assertTrue(rec.epochs.get(1).test().total() < rec.epochs.get(0).test().total() * 1.05);
        assertEquals(2, get(service.encode(h, data.test(), new int[] {0, 2})).mu().length);
    }
}
