package org.latentlab.model;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.latentlab.data.AtomicFiles;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * Saves and loads models as single zip files (default folder {@code models/}) with entries
 * {@code card.json} (the {@link ModelCard}) and {@code graph.fb} (SameDiff flatbuffers, weights
 * only: no optimizer state). Writes are atomic: a temp file in the same folder, fsync, then an
 * atomic rename. Every fault on loading is a {@link ModelException} naming the file.
 * ND4J work: call on the model-service thread.
 */
public final class ModelStore {
    public static final Path DEFAULT_FOLDER = Path.of("models");
    public static final String CARD = "card.json";
    public static final String GRAPH = "graph.fb";
    public static final String EXTENSION = ".zip";

    private ModelStore() {
    }

    /** A model with its card, as loaded. */
    public record Loaded(VaeModel model, ModelCard card) {
    }

    /** A card found in a folder, with its file. */
    public record Stored(Path file, ModelCard card) {
    }

    /** Writes model + card to file atomically (creates the folder). */
    public static Path save(VaeModel model, ModelCard card, Path file) {
        // the model's spec is what its weights are (e.g. with its frozen encoder's digest pinned)
        if (!model.spec().equals(card.spec())) card = card.withSpec(model.spec());
        ModelCard written = card;
        try {
            ByteArrayOutputStream graphBytes = new ByteArrayOutputStream();
            model.sameDiff().save(graphBytes, false);
            return AtomicFiles.write(file, tmp -> {
                try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING);
                     OutputStream os = java.nio.channels.Channels.newOutputStream(ch);
                     ZipOutputStream zip = new ZipOutputStream(os)) {
                    zip.putNextEntry(new ZipEntry(CARD));
                    zip.write(written.toJson().getBytes(StandardCharsets.UTF_8));
                    zip.closeEntry();
                    zip.putNextEntry(new ZipEntry(GRAPH));
                    graphBytes.writeTo(zip);
                    zip.closeEntry();
                    zip.finish();
                    zip.flush();
                    ch.force(true);
                }
            });
        } catch (IOException | RuntimeException e) {
            throw new ModelException(file, "could not save model: " + e.getMessage(), e);
        }
    }

    /** Reads only the card (cheap, no ND4J). */
    public static ModelCard readCard(Path file) {
        try (ZipFile zip = open(file)) {
            return card(zip, file);
        } catch (IOException e) {
            throw new ModelException(file, "cannot read: " + e.getMessage(), e);
        }
    }

    /** Loads model and card; any fault → ModelException naming the file. */
    public static Loaded load(Path file) {
        try (ZipFile zip = open(file)) {
            ModelCard card = card(zip, file);
            VaeSpec spec = card.spec();
            if (spec == null) throw new ModelException(file, "card.json has no spec");
            try {
                spec.validate();
            } catch (IllegalArgumentException e) {
                throw new ModelException(file, "card.json holds an " + e.getMessage(), e);
            }
            ZipEntry g = zip.getEntry(GRAPH);
            if (g == null) throw new ModelException(file, "no " + GRAPH + " entry: not a Latent Lab model");
            byte[] bytes;
            try (InputStream in = zip.getInputStream(g)) {
                bytes = in.readAllBytes();
            }
            SameDiff sd;
            try {
                sd = SameDiff.load(new ByteArrayInputStream(bytes), false);
            } catch (Throwable t) {
                throw new ModelException(file, GRAPH + " is damaged or not a SameDiff graph (" + t.getClass().getSimpleName() + ")", t);
            }
            Map<String, INDArray> weights = VaeModel.weightsOf(sd);
            VaeModel m;
            try {
                m = VaeModel.withWeights(spec, weights, file);
            } catch (ModelException e) {
                if (e.file() == null || e.file().equals(file)) throw e;
                throw new ModelException(file, "cannot load its frozen encoder prefix: " + e.getMessage(), e);
            }
            return new Loaded(m, card);
        } catch (ModelException e) {
            throw e;
        } catch (IOException e) {
            throw new ModelException(file, "cannot read: " + e.getMessage(), e);
        } catch (RuntimeException e) {
            throw new ModelException(file, "cannot load model: " + e, e);
        }
    }

    /** Cards of all readable models in a folder (unreadable files are skipped), sorted by file name. */
    public static List<Stored> list(Path folder) {
        List<Stored> out = new ArrayList<>();
        if (!Files.isDirectory(folder)) return out;
        try (Stream<Path> s = Files.list(folder)) {
            for (Path p : s.filter(p -> p.getFileName().toString().endsWith(EXTENSION)).sorted().toList()) {
                try {
                    out.add(new Stored(p, readCard(p)));
                } catch (ModelException ignored) {
                    // not a model: skip
                }
            }
        } catch (IOException e) {
            throw new ModelException(folder, "cannot list models: " + e.getMessage(), e);
        }
        return out;
    }

    private static ZipFile open(Path file) {
        if (!Files.exists(file)) throw new ModelException(file, "no such file");
        if (!Files.isRegularFile(file)) throw new ModelException(file, "not a file");
        try {
            return new ZipFile(file.toFile());
        } catch (java.util.zip.ZipException e) {
            throw new ModelException(file, "not a model zip (truncated or not a zip file: " + e.getMessage() + ")", e);
        } catch (IOException e) {
            throw new ModelException(file, "cannot open: " + e.getMessage(), e);
        }
    }

    private static ModelCard card(ZipFile zip, Path file) throws IOException {
        ZipEntry c = zip.getEntry(CARD);
        if (c == null) throw new ModelException(file, "no " + CARD + " entry: not a Latent Lab model");
        String json;
        try (InputStream in = zip.getInputStream(c)) {
            json = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new ModelException(file, CARD + " is damaged: " + e.getMessage(), e);
        }
        try {
            return ModelCard.fromJson(json);
        } catch (IllegalArgumentException e) {
            throw new ModelException(file, CARD + " is invalid: " + e.getMessage(), e);
        }
    }
}
