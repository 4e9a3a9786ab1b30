package org.latentlab.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;
import org.latentlab.app.AppPaths;

/** The datasets Latent Lab ships or generates, opened by name in the app and on the command line. */
public enum BuiltinDataset {
    MNIST("mnist", "MNIST handwritten digits, 60k train + 10k test, 28×28 grey"),
    FASHION_MNIST("fashion-mnist", "Fashion-MNIST clothing, 28×28 grey (full 70k when the Debian package is installed, else the shipped 10k test set)"),
    EMOJI("emoji", "Google Noto emoji, 64×64 colour, 10 categories"),
    MOTORCYCLE("motorcycle", "Middlebury 2014 Motorcycle: one real RGB-D scene"),
    ROOMS("rooms", "synthetic indoor RGB-D rooms with exact depth, 64×64, labelled by object count");

    /** Where Debian's dataset-fashion-mnist package puts the full set. */
    static final Path SYSTEM_FASHION_MNIST = Path.of("/usr/share/datasets/fashion-mnist");
    static final List<String> FASHION_CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress",
            "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");
    public static final int ROOMS_TRAIN = 2000;
    public static final int ROOMS_TEST = 500;

    private final String id;
    private final String description;

    BuiltinDataset(String id, String description) {
        this.id = id;
        this.description = description;
    }

    public String id() { return id; }
    public String description() { return description; }

    public static Optional<BuiltinDataset> byName(String name) {
        String n = name.toLowerCase(Locale.ROOT).replace('_', '-');
        return Arrays.stream(values()).filter(b -> b.id.equals(n)).findFirst();
    }

    public static String names() {
        return Arrays.stream(values()).map(BuiltinDataset::id).collect(Collectors.joining(", "));
    }

    /** The folder this dataset is read from (null for generated ones). */
    public Path location() {
        Path samples = AppPaths.sampleData();
        return switch (this) {
            case MNIST -> samples.resolve("mnist");
            case FASHION_MNIST -> Files.isRegularFile(SYSTEM_FASHION_MNIST.resolve("train-images-idx3-ubyte.gz"))
                    ? SYSTEM_FASHION_MNIST : samples.resolve("fashion-mnist");
            case EMOJI -> samples.resolve("emoji");
            case MOTORCYCLE -> samples.resolve("motorcycle");
            case ROOMS -> null;
        };
    }

    public Dataset open(LoadOptions options) {
        Dataset d = switch (this) {
            case ROOMS -> {
                int h = options.heightOr(64), w = options.widthOr(64);
                int made = options.generatedTrain() > 0 ? options.generatedTrain() : ROOMS_TRAIN;
                int train = options.limit() > 0 ? Math.min(options.limit(), made) : made;
                int test = options.limit() > 0 ? Math.min(options.limit(), ROOMS_TEST) : ROOMS_TEST;
                yield SyntheticRooms.dataset(train, test, h, w, options.seed());
            }
            case FASHION_MNIST -> {
                Dataset raw = Datasets.open(location(), options);
                yield new Dataset(id, raw.format(), raw.source(), raw.train().withClassNames(FASHION_CLASSES),
                        raw.test().withClassNames(FASHION_CLASSES));
            }
            default -> Datasets.open(location(), options);
        };
        return new Dataset(id, d.format(), d.source(), d.train().named(id), d.test().named(id)).adapted(options);
    }
}
