package org.latentlab.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;

/**
 * The one way to open a dataset: a built-in name ({@link BuiltinDataset}) or a path whose format
 * is detected from its content and layout. Every failure is a {@link DataException}.
 */
public final class Datasets {
    private Datasets() {}

    /** Opens a built-in dataset by name, or a file/folder by path. */
    public static Dataset open(String nameOrPath, LoadOptions options) {
        var builtin = BuiltinDataset.byName(nameOrPath);
        if (options.generatedTrain() > 0 && builtin.filter(b -> b == BuiltinDataset.ROOMS).isEmpty()) {
            throw new IllegalArgumentException("a number of rooms to generate applies to the rooms dataset only, not to " + nameOrPath);
        }
        if (builtin.isPresent()) {
            return builtin.get().open(options);
        }
        return open(Path.of(nameOrPath), options);
    }

    /** Opens a file or folder in any supported format. */
    public static Dataset open(Path path, LoadOptions options) {
        Format format = detect(path);
        Dataset d = switch (format) {
            case IDX -> IdxReader.readDataset(path, options);
            case CIFAR -> CifarReader.readDataset(path, options);
            case IMAGE_FOLDER -> ImageFolderReader.readDataset(path, options);
            case NYU_MAT -> NyuMatReader.readDataset(path, options);
            case RGBD_FOLDER -> RgbdFolderReader.readDataset(path, options);
        };
        return d.adapted(options);
    }

    /** The supported on-disk formats. */
    public enum Format { IDX, CIFAR, IMAGE_FOLDER, NYU_MAT, RGBD_FOLDER }

    /** Detects the format of a path from its content (files) or layout (folders). */
    public static Format detect(Path path) {
        if (!Files.exists(path)) {
            throw new DataException(path, "", "no such file or folder (built-in datasets: " + BuiltinDataset.names() + ")");
        }
        if (Files.isRegularFile(path)) {
            String name = path.getFileName().toString().toLowerCase(Locale.ROOT);
            if (name.endsWith(".mat") || name.endsWith(".h5") || name.endsWith(".hdf5")) return Format.NYU_MAT;
            if (name.endsWith(".bin")) return Format.CIFAR;
            byte[] head = head(path, 4);
            boolean gzip = head.length >= 2 && (head[0] & 0xff) == 0x1f && (head[1] & 0xff) == 0x8b;
            boolean idx = head.length >= 3 && head[0] == 0 && head[1] == 0;
            if (gzip || idx || name.contains("idx")) return Format.IDX;
            throw new DataException(path, "byte 0", "unknown file format: expected IDX (raw or .gz), CIFAR-10 .bin or NYU .mat");
        }
        List<String> names = list(path);
        if (names.stream().anyMatch(n -> n.contains("idx") && n.contains("ubyte"))) return Format.IDX;
        if (names.stream().anyMatch(n -> n.matches("(data|test)_batch.*\\.bin"))) return Format.CIFAR;
        String self = path.getFileName() == null ? "" : path.getFileName().toString();
        if (self.startsWith("nyu2_") || names.contains("nyu2_train") || names.contains("nyu2_test")
                || (names.contains("rgb") && names.contains("depth"))) {
            return Format.RGBD_FOLDER;
        }
        if (names.stream().anyMatch(n -> n.endsWith(".mat"))) {
            throw new DataException(path, "", "folder holds a .mat file: open the .mat file itself");
        }
        return Format.IMAGE_FOLDER;
    }

    private static byte[] head(Path file, int n) {
        try (InputStream in = Files.newInputStream(file)) {
            return in.readNBytes(n);
        } catch (IOException e) {
            throw new DataException(file, "", "cannot read: " + e.getMessage(), e);
        }
    }

    private static List<String> list(Path dir) {
        try (Stream<Path> s = Files.list(dir)) {
            List<String> out = new ArrayList<>();
            s.forEach(p -> out.add(p.getFileName().toString().toLowerCase(Locale.ROOT)));
            return out;
        } catch (IOException e) {
            throw new DataException(dir, "", "cannot list folder: " + e.getMessage(), e);
        }
    }
}
