package org.latentlab.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

/**
 * Reads a folder of images with one sub-folder per class (e.g. {@code paintings/<artist>/*.jpg}).
 *
 * <ul>
 *   <li>Classes are the non-hidden sub-folders that hold at least one image, sorted by name; the
 *       class index is the position in that order. Files and folders whose names start with a dot
 *       are ignored, as are files without an image extension ({@link ImageDecoding#EXTENSIONS}) and
 *       files directly in the top folder (a README or LICENSE).</li>
 *   <li>Every image is resized to {@code opt.height() × opt.width()} (64×64 when not given).</li>
 *   <li>Channels: {@code opt.channels()} when given (GRAY or RGB); otherwise RGB if any image shows
 *       colour, else GRAY. Transparency is composited over white.</li>
 *   <li>The set is split with {@link Dataset#split} by {@code opt.testFraction()} and
 *       {@code opt.seed()}; with {@code opt.limit()} at most that many images go into each part,
 *       and only the files needed are decoded, taken round-robin across the classes.</li>
 *   <li>Any unreadable, empty or corrupt image fails the whole load with a {@link DataException}
 *       naming that file (the first bad one in sorted order): nothing is half-loaded.</li>
 * </ul>
 * Images are decoded on at most {@link #MAX_THREADS} threads; the result does not depend on it.
 */
public final class ImageFolderReader {
    /** Side length used when the options give no size. */
    public static final int DEFAULT_SIZE = 64;
    /** Decoding threads at most. */
    public static final int MAX_THREADS = 2;
    public static final String FORMAT = "image folder";

    private ImageFolderReader() {}

    /** Reads, resizes and splits an image folder; see the class comment for the rules. */
    public static Dataset readDataset(Path dir, LoadOptions opt) {
        if (!Files.exists(dir)) throw new DataException(dir, "", "no such folder");
        if (!Files.isDirectory(dir)) {
            throw new DataException(dir, "", "not a folder: an image folder holds one sub-folder of images per class");
        }
        LoadSupport.requireNoDepth(dir, opt, "Image-folder");
        List<Path> classDirs = list(dir, Files::isDirectory);
        if (classDirs.isEmpty()) {
            throw new DataException(dir, "", "no class sub-folders: an image folder holds one sub-folder of images per class");
        }
        List<String> classNames = new ArrayList<>();
        List<List<Path>> files = new ArrayList<>();
        int total = 0;
        for (Path c : classDirs) {
            List<Path> images = list(c, p -> Files.isRegularFile(p) && ImageDecoding.isImageFile(p));
            if (images.isEmpty()) continue;
            classNames.add(LoadSupport.fileName(c));
            files.add(images);
            total += images.size();
        }
        if (total == 0) {
            throw new DataException(dir, "", "no images (" + String.join(", ", sortedExtensions())
                    + ") in its " + classDirs.size() + " sub-folder" + (classDirs.size() == 1 ? "" : "s"));
        }

        int cap = LoadSupport.readCapForSplit(opt);
        int[][] chosen = choose(files, cap > 0 ? Math.min(cap, total) : total);
        int n = chosen.length;
        int h = opt.height() > 0 ? opt.height() : (opt.width() > 0 ? opt.width() : DEFAULT_SIZE);
        int w = opt.width() > 0 ? opt.width() : h;
        Channels decodeAs = opt.channels() != null ? opt.channels() : Channels.RGB;
        int len = decodeAs.count() * h * w;
        if ((long) n * len > LoadSupport.MAX_VALUES) {
            throw new DataException(dir, "", n + " images of " + h + "×" + w + " " + decodeAs
                    + " are more values than one array holds; set a limit of at most " + (LoadSupport.MAX_VALUES / len));
        }
        Path[] paths = new Path[n];
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = chosen[i][0];
            paths[i] = files.get(chosen[i][0]).get(chosen[i][1]);
        }
        float[] data = new float[n * len];
        boolean[] colour = new boolean[n];
        decodeAll(paths, (i, img) -> {
            ImageDecoding.planes(img, decodeAs, h, w, data, i * len);
            if (opt.channels() == null) colour[i] = ImageDecoding.isColour(img);
        }, h, w);

        Channels channels = decodeAs;
        float[] values = data;
        if (opt.channels() == null && !anyTrue(colour)) {
            channels = Channels.GRAY;
            values = toGrey(data, n, h * w);
        }
        String name = LoadSupport.fileName(dir.toAbsolutePath().normalize());
        ImageSet all = new ImageSet(name, channels, h, w, values, labels, classNames);
        Dataset d = LoadSupport.splitAndCap(name, FORMAT, dir, all, opt);
        return new Dataset(d.name(), d.format(), d.source(),
                d.train().named(name + " train"), d.test().named(name + " test"));
    }

    /**
     * (class, file) pairs to read: all files, or {@code cap} of them taken round-robin across the
     * classes; ordered by class, then by file name.
     */
    static int[][] choose(List<List<Path>> files, int cap) {
        int total = 0;
        for (List<Path> f : files) total += f.size();
        int n = Math.min(cap, total);
        int[] take = new int[files.size()];
        if (n == total) {
            for (int c = 0; c < files.size(); c++) take[c] = files.get(c).size();
        } else {
            int left = n;
            for (int round = 0; left > 0; round++) {
                for (int c = 0; c < files.size() && left > 0; c++) {
                    if (round < files.get(c).size()) {
                        take[c]++;
                        left--;
                    }
                }
            }
        }
        int[][] chosen = new int[n][];
        int k = 0;
        for (int c = 0; c < files.size(); c++) {
            for (int j = 0; j < take[c]; j++) chosen[k++] = new int[] {c, j};
        }
        return chosen;
    }

    private interface Sink {
        void accept(int index, BufferedImage img);
    }

    /**
     * Decodes every path on up to {@link #MAX_THREADS} threads, in increasing index order per
     * thread. On failure, the failure of the smallest failing index is thrown (deterministically:
     * every smaller index is still decoded), and later indices are skipped.
     */
    private static void decodeAll(Path[] paths, Sink sink, int h, int w) {
        int n = paths.length;
        int threads = Math.max(1, Math.min(MAX_THREADS, Math.min(n, Runtime.getRuntime().availableProcessors())));
        AtomicInteger next = new AtomicInteger();
        AtomicInteger firstFailure = new AtomicInteger(Integer.MAX_VALUE);
        Throwable[] failures = new Throwable[n];
        Runnable worker = () -> {
            while (true) {
                int i = next.getAndIncrement();
                if (i >= n || i > firstFailure.get() || Thread.currentThread().isInterrupted()) return;
                try {
                    sink.accept(i, ImageDecoding.read(paths[i], h, w));
                } catch (RuntimeException | Error e) {
                    failures[i] = e;
                    firstFailure.accumulateAndGet(i, Math::min);
                }
            }
        };
        if (threads == 1) {
            worker.run();
        } else {
            ExecutorService pool = Executors.newFixedThreadPool(threads, r -> {
                Thread t = new Thread(r, "image-folder-decode");
                t.setDaemon(true);
                return t;
            });
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (int t = 0; t < threads; t++) futures.add(pool.submit(worker));
                for (Future<?> f : futures) f.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new CancellationException("loading the image folder was interrupted");
            } catch (ExecutionException e) {
                throw new IllegalStateException("image decoding worker failed", e.getCause());
            } finally {
                pool.shutdownNow();
            }
        }
        int first = firstFailure.get();
        if (first != Integer.MAX_VALUE) {
            Throwable t = failures[first];
            if (t instanceof RuntimeException re) throw re;
            throw (Error) t;
        }
    }

    private static boolean anyTrue(boolean[] b) {
        for (boolean v : b) if (v) return true;
        return false;
    }

    /** RGB planes of images that are all grey to one plane (exact where R = G = B). */
    private static float[] toGrey(float[] rgb, int n, int plane) {
        float[] g = new float[n * plane];
        for (int i = 0; i < n; i++) {
            int src = i * 3 * plane, dst = i * plane;
            for (int j = 0; j < plane; j++) {
                float r = rgb[src + j], gr = rgb[src + plane + j], b = rgb[src + 2 * plane + j];
                g[dst + j] = (r == gr && gr == b) ? r : Math.min(1f, 0.299f * r + 0.587f * gr + 0.114f * b);
            }
        }
        return g;
    }

    /** Non-hidden entries of a folder that pass the test, sorted by name. */
    private static List<Path> list(Path dir, java.util.function.Predicate<Path> test) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> !LoadSupport.hidden(p))
                    .filter(test)
                    .sorted(Comparator.comparing(LoadSupport::fileName))
                    .toList();
        } catch (IOException | UncheckedIOException e) {
            throw new DataException(dir, "", "cannot list the folder: " + LoadSupport.describe(e), e);
        }
    }

    private static List<String> sortedExtensions() {
        return ImageDecoding.EXTENSIONS.stream().sorted().toList();
    }
}
