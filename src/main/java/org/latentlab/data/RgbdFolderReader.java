package org.latentlab.data;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Reads RGB-D image pairs from folders, in one of three layouts:
 * <ol>
 * <li><b>DenseDepth train</b>: {@code nyu2_train/<scene>/<n>.jpg} + {@code <n>.png}, the depth an
 * 8-bit grey PNG with metres = value / 255 · 10. The class is the scene's kind: the folder name
 * without a trailing {@code _out} and a trailing {@code _<digits>[letters]} ({@code bedroom_0001}
 * → {@code bedroom}, {@code living_room_0038_out} → {@code living_room}). When a
 * {@code nyu2_train.csv} index sits beside the folder (lines
 * {@code data/nyu2_train/<scene>/<n>.jpg,data/nyu2_train/<scene>/<n>.png}) the pairs it lists are
 * read instead, their paths resolved against the CSV folder's parent (as in DenseDepth's zip) or
 * else the CSV folder; a listed file that is missing is an error.</li>
 * <li><b>DenseDepth test</b>: {@code nyu2_test/<i>_colors.png} + {@code <i>_depth.png}, the depth a
 * 16-bit grey PNG in millimetres; one class {@code "test"} (a {@code nyu2_test.csv} index is used
 * the same way when present).</li>
 * <li><b>plain pairs</b>: {@code rgb/<name>.png|jpg} + {@code depth/<name>.png}, the depth a 16-bit
 * grey PNG in millimetres; classes from an optional {@code labels.csv} ({@code name,class}, every
 * pair must be listed), else one class named after the folder.</li>
 * </ol>
 * The folder given may be the dataset root (holding {@code nyu2_train/} and/or {@code nyu2_test/},
 * directly or under {@code data/}), one of those folders, a DenseDepth CSV index, or a plain-pairs
 * folder. When both DenseDepth splits are there they become train and test, sharing one class list
 * (the train scenes plus {@code "test"}); otherwise the pairs are split per {@link Dataset#split}.
 *
 * <p>Depth 0 means "no reading": such pixels are masked (kept at 0 and counted in
 * {@link ImageSet#maskedDepthPixels()}) or rejected per {@link LoadOptions#depthPolicy()}. Without a
 * size in the options all pairs must share one size; with one, each image is cropped about its
 * centre to the requested aspect and area-averaged. {@code limit} takes that many pairs per split,
 * evenly spaced through the sorted list so every scene is represented.
 */
public final class RgbdFolderReader {
    /** How depth values are stored. */
    enum Convention {
        DENSEDEPTH_8BIT(8, "DenseDepth training depth is an 8-bit grey PNG (metres = value/255·10)"),
        MILLIMETRES_16(16, "depth is expected as a 16-bit grey PNG in millimetres");

        final int bits;
        final String description;

        Convention(int bits, String description) {
            this.bits = bits;
            this.description = description;
        }

        float metres(int v) {
            return this == DENSEDEPTH_8BIT ? v * 10f / 255f : v / 1000f;
        }
    }

    /** One RGB image, its depth partner and its class name. */
    record Pair(Path rgb, Path depth, String className) {}

    static final String TRAIN_DIR = "nyu2_train";
    static final String TEST_DIR = "nyu2_test";
    static final String TEST_CLASS = "test";
    private static final Pattern SCENE_SUFFIX = Pattern.compile("_\\d+[A-Za-z]*$");

    private RgbdFolderReader() {}

    /** Reads the RGB-D pairs under dir (see the class comment for the layouts). */
    public static Dataset readDataset(Path dir, LoadOptions opt) {
        if (dir == null || !Files.exists(dir)) {
            throw new DataException(dir, "", "no such folder");
        }
        if (Files.isRegularFile(dir)) {
            String n = dir.getFileName().toString().toLowerCase(Locale.ROOT);
            if (!n.endsWith(".csv")) {
                throw new DataException(dir, "", "not a folder or a DenseDepth CSV index");
            }
            boolean test = n.contains("test");
            List<Pair> pairs = csvPairs(dir, test);
            Convention conv = test ? Convention.MILLIMETRES_16 : Convention.DENSEDEPTH_8BIT;
            return single(dir, "DenseDepth CSV index", pairs, conv, opt);
        }
        Path root = dir;
        if (!isDir(dir.resolve(TRAIN_DIR)) && !isDir(dir.resolve(TEST_DIR))
                && (isDir(dir.resolve("data").resolve(TRAIN_DIR)) || isDir(dir.resolve("data").resolve(TEST_DIR)))) {
            root = dir.resolve("data");
        }
        Path train = isDir(root.resolve(TRAIN_DIR)) ? root.resolve(TRAIN_DIR) : null;
        Path test = isDir(root.resolve(TEST_DIR)) ? root.resolve(TEST_DIR) : null;
        String name = fileName(dir);
        if (train == null && test == null) {
            if (name.equals(TRAIN_DIR)) train = dir;
            else if (name.equals(TEST_DIR)) test = dir;
        }
        if (train != null && test != null) {
            List<Pair> trainPairs = trainPairs(train);
            List<Pair> testPairs = testPairs(test);
            TreeSet<String> classes = new TreeSet<>();
            for (Pair p : trainPairs) classes.add(p.className());
            List<String> names = new ArrayList<>(classes);
            names.remove(TEST_CLASS);
            names.add(TEST_CLASS);
            ImageSet tr = read(pick(trainPairs, opt.limit()), names, Convention.DENSEDEPTH_8BIT, opt, name, null);
            ImageSet te = read(pick(testPairs, opt.limit()), names, Convention.MILLIMETRES_16, opt, name,
                    new int[] {tr.height(), tr.width()});
            return channels(new Dataset(name, "DenseDepth NYU folders", dir, tr, te), opt);
        }
        if (train != null) {
            return single(dir, "DenseDepth NYU folders (train)", trainPairs(train), Convention.DENSEDEPTH_8BIT, opt);
        }
        if (test != null) {
            return single(dir, "DenseDepth NYU folders (test)", testPairs(test), Convention.MILLIMETRES_16, opt);
        }
        if (isDir(dir.resolve("rgb")) && isDir(dir.resolve("depth"))) {
            return single(dir, "RGB-D folder pairs", plainPairs(dir), Convention.MILLIMETRES_16, opt);
        }
        // content sniffing: a DenseDepth folder that was renamed
        List<Path> entries = list(dir);
        if (entries.stream().anyMatch(p -> lower(p).endsWith("_colors.png"))) {
            return single(dir, "DenseDepth NYU folders (test)", testPairs(dir), Convention.MILLIMETRES_16, opt);
        }
        if (entries.stream().anyMatch(p -> isDir(p) && list(p).stream().anyMatch(f -> isRgbJpeg(f)))) {
            return single(dir, "DenseDepth NYU folders (train)", trainPairs(dir), Convention.DENSEDEPTH_8BIT, opt);
        }
        throw new DataException(dir, "", "no RGB-D pairs found: expected nyu2_train/<scene>/<n>.jpg + <n>.png, "
                + "nyu2_test/<i>_colors.png + <i>_depth.png, or rgb/<name>.png + depth/<name>.png");
    }

    private static Dataset single(Path source, String format, List<Pair> pairs, Convention conv, LoadOptions opt) {
        TreeSet<String> classes = new TreeSet<>();
        for (Pair p : pairs) classes.add(p.className());
        String name = fileName(source);
        ImageSet all = read(pick(pairs, opt.limit()), new ArrayList<>(classes), conv, opt, name, null);
        return channels(Dataset.split(name, format, source, all, opt.testFraction(), opt.seed()), opt);
    }

    private static Dataset channels(Dataset d, LoadOptions opt) {
        if (opt.channels() == null || opt.channels() == Channels.RGBD) return d;
        return new Dataset(d.name(), d.format(), d.source(), d.train().withChannels(opt.channels()),
                d.test().withChannels(opt.channels()));
    }

    /** At most limit pairs, evenly spaced (all when limit is 0 or not smaller). */
    static List<Pair> pick(List<Pair> pairs, int limit) {
        if (limit <= 0 || limit >= pairs.size()) return pairs;
        List<Pair> out = new ArrayList<>(limit);
        for (int i = 0; i < limit; i++) out.add(pairs.get((int) ((long) i * pairs.size() / limit)));
        return out;
    }

    // ---------------------------------------------------------------- layouts

    static List<Pair> trainPairs(Path train) {
        Path csv = csvBeside(train, TRAIN_DIR);
        if (csv != null) return csvPairs(csv, false);
        List<Pair> pairs = new ArrayList<>();
        for (Path scene : list(train)) {
            if (!isDir(scene)) continue;
            String cls = sceneClass(fileName(scene));
            Map<String, Path> rgb = new TreeMap<>(NATURAL);
            Map<String, Path> depth = new TreeMap<>(NATURAL);
            for (Path f : list(scene)) {
                if (!Files.isRegularFile(f)) continue;
                String n = fileName(f);
                String lower = n.toLowerCase(Locale.ROOT);
                if (isRgbJpeg(f)) putUnique(rgb, stem(n), f);
                else if (lower.endsWith(".png")) putUnique(depth, stem(n), f);
            }
            pairUp(rgb, depth, cls, pairs, ".png", ".jpg");
        }
        if (pairs.isEmpty()) {
            throw new DataException(train, "", "no RGB-D pairs found: expected <scene>/<n>.jpg + <scene>/<n>.png");
        }
        return pairs;
    }

    static List<Pair> testPairs(Path test) {
        Path csv = csvBeside(test, TEST_DIR);
        if (csv != null) return csvPairs(csv, true);
        Map<String, Path> rgb = new TreeMap<>(NATURAL);
        Map<String, Path> depth = new TreeMap<>(NATURAL);
        for (Path f : list(test)) {
            if (!Files.isRegularFile(f)) continue;
            String n = fileName(f);
            String lower = n.toLowerCase(Locale.ROOT);
            if (lower.endsWith("_colors.png")) rgb.put(n.substring(0, n.length() - "_colors.png".length()), f);
            else if (lower.endsWith("_depth.png")) depth.put(n.substring(0, n.length() - "_depth.png".length()), f);
        }
        List<Pair> pairs = new ArrayList<>();
        pairUp(rgb, depth, TEST_CLASS, pairs, "_depth.png", "_colors.png");
        if (pairs.isEmpty()) {
            throw new DataException(test, "", "no RGB-D pairs found: expected <i>_colors.png + <i>_depth.png");
        }
        return pairs;
    }

    static List<Pair> plainPairs(Path dir) {
        Map<String, Path> rgb = new TreeMap<>(NATURAL);
        Map<String, Path> depth = new TreeMap<>(NATURAL);
        for (Path f : list(dir.resolve("rgb"))) {
            String lower = lower(f);
            if (Files.isRegularFile(f) && (lower.endsWith(".png") || lower.endsWith(".jpg") || lower.endsWith(".jpeg"))) {
                putUnique(rgb, stem(fileName(f)), f);
            }
        }
        for (Path f : list(dir.resolve("depth"))) {
            if (Files.isRegularFile(f) && lower(f).endsWith(".png")) putUnique(depth, stem(fileName(f)), f);
        }
        Map<String, String> labels = null;
        Path labelsCsv = dir.resolve("labels.csv");
        if (Files.isRegularFile(labelsCsv)) labels = readLabels(labelsCsv);
        List<Pair> pairs = new ArrayList<>();
        pairUp(rgb, depth, fileName(dir), pairs, ".png", ".png|.jpg");
        if (pairs.isEmpty()) {
            throw new DataException(dir, "", "no RGB-D pairs found: expected rgb/<name>.png|jpg + depth/<name>.png");
        }
        if (labels != null) {
            List<Pair> labelled = new ArrayList<>(pairs.size());
            for (Pair p : pairs) {
                String key = stem(fileName(p.rgb()));
                String cls = labels.get(key);
                if (cls == null) cls = labels.get(fileName(p.rgb()));
                if (cls == null) {
                    throw new DataException(labelsCsv, "", "no class for '" + key + "' (" + p.rgb() + ")");
                }
                labelled.add(new Pair(p.rgb(), p.depth(), cls));
            }
            pairs = labelled;
        }
        return pairs;
    }

    /** Matches RGB and depth by stem; anything without a partner is an error naming the file. */
    private static void pairUp(Map<String, Path> rgb, Map<String, Path> depth, String cls, List<Pair> out,
                               String depthSuffix, String rgbSuffix) {
        for (Map.Entry<String, Path> e : rgb.entrySet()) {
            Path d = depth.get(e.getKey());
            if (d == null) {
                throw new DataException(e.getValue(), "", "unpaired: no depth partner " + e.getKey() + depthSuffix
                        + " for this RGB image");
            }
            out.add(new Pair(e.getValue(), d, cls));
        }
        for (Map.Entry<String, Path> e : depth.entrySet()) {
            if (!rgb.containsKey(e.getKey())) {
                throw new DataException(e.getValue(), "", "unpaired: no RGB partner " + e.getKey() + rgbSuffix
                        + " for this depth image");
            }
        }
    }

    private static void putUnique(Map<String, Path> m, String key, Path f) {
        Path old = m.put(key, f);
        if (old != null) {
            throw new DataException(f, "", "ambiguous: both " + fileName(old) + " and " + fileName(f)
                    + " would pair with the same partner");
        }
    }

    /** A scene folder name to its class: bedroom_0001 → bedroom, living_room_0038_out → living_room. */
    static String sceneClass(String scene) {
        String s = scene;
        if (s.endsWith("_out") && s.length() > 4) s = s.substring(0, s.length() - 4);
        String t = SCENE_SUFFIX.matcher(s).replaceFirst("");
        return t.isEmpty() ? scene : t;
    }

    /** {@code <folderName>.csv} beside the folder (or inside it), if there is one. */
    private static Path csvBeside(Path folder, String defaultName) {
        String n = fileName(folder);
        Path parent = folder.toAbsolutePath().getParent();
        List<Path> candidates = new ArrayList<>();
        if (parent != null) {
            candidates.add(parent.resolve(n + ".csv"));
            candidates.add(parent.resolve(defaultName + ".csv"));
        }
        candidates.add(folder.resolve(defaultName + ".csv"));
        for (Path c : candidates) if (Files.isRegularFile(c)) return c;
        return null;
    }

    /** Pairs listed in a DenseDepth CSV index ({@code rgb,depth} per line). */
    static List<Pair> csvPairs(Path csv, boolean test) {
        List<String> lines = readLines(csv);
        Path csvDir = csv.toAbsolutePath().getParent();
        List<Pair> pairs = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            String[] f = line.split(",");
            String pos = "line " + (i + 1);
            if (f.length < 2) {
                throw new DataException(csv, pos, "expected 'rgb path,depth path', found '" + abbreviate(line) + "'");
            }
            String a = f[0].strip(), b = f[1].strip();
            if (i == 0 && !looksLikeImage(a)) continue; // header
            Path rgb = resolveListed(csv, pos, csvDir, a);
            Path depth = resolveListed(csv, pos, csvDir, b);
            String cls = test ? TEST_CLASS : sceneClass(rgb.getParent() == null ? "scene" : fileName(rgb.getParent()));
            pairs.add(new Pair(rgb, depth, cls));
        }
        if (pairs.isEmpty()) {
            throw new DataException(csv, "", "the CSV index lists no RGB-D pairs");
        }
        return pairs;
    }

    private static boolean looksLikeImage(String s) {
        String l = s.toLowerCase(Locale.ROOT);
        return l.endsWith(".jpg") || l.endsWith(".jpeg") || l.endsWith(".png");
    }

    private static Path resolveListed(Path csv, String pos, Path csvDir, String listed) {
        String p = listed.replace('\\', '/');
        if (p.length() >= 2 && p.startsWith("\"") && p.endsWith("\"")) p = p.substring(1, p.length() - 1);
        Path rel;
        try {
            rel = Path.of(p);
        } catch (InvalidPathException e) {
            throw new DataException(csv, pos, "invalid path '" + abbreviate(listed) + "'", e);
        }
        if (rel.isAbsolute()) {
            if (Files.isRegularFile(rel)) return rel;
            throw new DataException(csv, pos, "listed file not found: " + rel);
        }
        List<Path> tried = new ArrayList<>();
        if (csvDir.getParent() != null) tried.add(csvDir.getParent().resolve(rel));
        tried.add(csvDir.resolve(rel));
        if (rel.getNameCount() > 1) tried.add(csvDir.resolve(rel.subpath(1, rel.getNameCount())));
        for (Path t : tried) if (Files.isRegularFile(t)) return t.normalize();
        throw new DataException(csv, pos, "listed file not found: " + listed + " (looked for " + tried.get(0).normalize()
                + " and " + tried.get(1).normalize() + ")");
    }

    private static Map<String, String> readLabels(Path csv) {
        Map<String, String> m = new HashMap<>();
        List<String> lines = readLines(csv);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) continue;
            String[] f = line.split(",");
            if (f.length < 2 || f[0].isBlank() || f[1].isBlank()) {
                throw new DataException(csv, "line " + (i + 1), "expected 'name,class', found '" + abbreviate(line) + "'");
            }
            if (i == 0 && f[0].strip().equalsIgnoreCase("name") && f[1].strip().equalsIgnoreCase("class")) continue;
            m.put(f[0].strip(), f[1].strip());
        }
        return m;
    }

    private static List<String> readLines(Path csv) {
        try {
            return Files.readAllLines(csv, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            throw new DataException(csv, "", "not a UTF-8 text file", e);
        } catch (IOException e) {
            throw new DataException(csv, "", "cannot read: " + e.getMessage(), e);
        }
    }

    // ---------------------------------------------------------------- decoding

    /**
     * Decodes the pairs into one set. Size: the options' size, else fixedSize, else the first
     * pair's size (all pairs must then match it).
     */
    static ImageSet read(List<Pair> pairs, List<String> classNames, Convention conv, LoadOptions opt, String name,
                         int[] fixedSize) {
        Map<String, Integer> index = new LinkedHashMap<>();
        for (int i = 0; i < classNames.size(); i++) index.put(classNames.get(i), i);
        int h = 0, w = 0;
        float[] data = null;
        int[] labels = new int[pairs.size()];
        long masked = 0;
        Path first = null;
        for (int k = 0; k < pairs.size(); k++) {
            Pair p = pairs.get(k);
            BufferedImage rgbImg = RgbdDecoding.read(p.rgb());
            BufferedImage depImg = RgbdDecoding.read(p.depth());
            int sh = rgbImg.getHeight(), sw = rgbImg.getWidth();
            if (depImg.getHeight() != sh || depImg.getWidth() != sw) {
                throw new DataException(p.depth(), "", "size mismatch: depth is " + depImg.getWidth() + "×"
                        + depImg.getHeight() + " but its RGB partner " + p.rgb() + " is " + sw + "×" + sh);
            }
            RgbdDecoding.GreySamples g = RgbdDecoding.greySamples(depImg, p.depth());
            if (g.bits() != conv.bits) {
                throw new DataException(p.depth(), "", "wrong depth format: found a " + RgbdDecoding.describe(depImg)
                        + " PNG but " + conv.description);
            }
            float[] colour = RgbdDecoding.rgbPlanes(rgbImg, p.rgb());
            float[] depth = new float[sh * sw];
            int[] v = g.values();
            for (int j = 0; j < v.length; j++) {
                if (v[j] == 0) {
                    if (opt.depthPolicy() == DepthPolicy.REJECT) {
                        throw new DataException(p.depth(), "pixel (y=" + (j / sw) + ", x=" + (j % sw) + ")",
                                "missing depth (value 0)");
                    }
                    masked++;
                } else {
                    depth[j] = conv.metres(v[j]);
                }
            }
            if (data == null) {
                int[] size = fixedSize != null && opt.height() <= 0 && opt.width() <= 0 ? fixedSize
                        : RgbdDecoding.targetSize(sh, sw, opt.height(), opt.width(), null);
                h = size[0];
                w = size[1];
                long total = (long) pairs.size() * 4 * h * w;
                if (total > Integer.MAX_VALUE - 16) {
                    throw new DataException(p.rgb(), "", pairs.size() + " pairs of " + w + "×" + h
                            + " do not fit in memory: give a smaller size or a limit");
                }
                data = new float[(int) total];
                first = p.rgb();
            } else if (opt.height() <= 0 && opt.width() <= 0 && fixedSize == null && (sh != h || sw != w)) {
                throw new DataException(p.rgb(), "", "image is " + sw + "×" + sh + " but " + first + " is " + w + "×" + h
                        + ": give a size in the load options to read images of different sizes");
            }
            int off = k * 4 * h * w;
            int plane = sh * sw;
            for (int c = 0; c < 3; c++) {
                RgbdDecoding.cropResize(colour, c * plane, sh, sw, data, off + c * h * w, h, w, false);
            }
            RgbdDecoding.cropResize(depth, 0, sh, sw, data, off + 3 * h * w, h, w, true);
            Integer label = index.get(p.className());
            labels[k] = label == null ? 0 : label;
        }
        if (data == null) {
            throw new DataException(null, "", "no RGB-D pairs to read");
        }
        return new ImageSet(name, Channels.RGBD, h, w, data, labels, classNames,
                opt.depthMaxMetres() > 0 ? opt.depthMaxMetres() : LoadOptions.DEFAULT_DEPTH_MAX, masked);
    }

    // ---------------------------------------------------------------- files

    private static boolean isDir(Path p) {
        return Files.isDirectory(p);
    }

    private static boolean isRgbJpeg(Path f) {
        String l = lower(f);
        return Files.isRegularFile(f) && (l.endsWith(".jpg") || l.endsWith(".jpeg"));
    }

    private static String fileName(Path p) {
        Path abs = p.toAbsolutePath().normalize();
        Path n = abs.getFileName();
        return n == null ? abs.toString() : n.toString();
    }

    private static String lower(Path p) {
        return fileName(p).toLowerCase(Locale.ROOT);
    }

    private static String stem(String fileName) {
        int dot = fileName.lastIndexOf('.');
        return dot > 0 ? fileName.substring(0, dot) : fileName;
    }

    private static String abbreviate(String s) {
        return s.length() <= 80 ? s : s.substring(0, 77) + "...";
    }

    /** The entries of a folder, hidden ones left out, in natural order (2 before 10). */
    private static List<Path> list(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> !fileName(p).startsWith("."))
                    .sorted(Comparator.comparing(RgbdFolderReader::fileName, NATURAL))
                    .toList();
        } catch (IOException e) {
            throw new DataException(dir, "", "cannot list folder: " + e.getMessage(), e);
        }
    }

    /** Compares names with digit runs as numbers: "2" before "10". */
    static final Comparator<String> NATURAL = (a, b) -> {
        int i = 0, j = 0;
        while (i < a.length() && j < b.length()) {
            char ca = a.charAt(i), cb = b.charAt(j);
            if (Character.isDigit(ca) && Character.isDigit(cb)) {
                int si = i, sj = j;
                while (si < a.length() && a.charAt(si) == '0') si++;
                while (sj < b.length() && b.charAt(sj) == '0') sj++;
                int ei = si, ej = sj;
                while (ei < a.length() && Character.isDigit(a.charAt(ei))) ei++;
                while (ej < b.length() && Character.isDigit(b.charAt(ej))) ej++;
                int len = (ei - si) - (ej - sj);
                if (len != 0) return len;
                int c = a.substring(si, ei).compareTo(b.substring(sj, ej));
                if (c != 0) return c;
                int zeros = (si - i) - (sj - j);
                if (zeros != 0) return zeros;
                i = ei;
                j = ej;
            } else {
                if (ca != cb) return Character.compare(ca, cb);
                i++;
                j++;
            }
        }
        return Integer.compare(a.length() - i, b.length() - j);
    };
}
