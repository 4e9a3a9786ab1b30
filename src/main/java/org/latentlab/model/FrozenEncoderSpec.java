package org.latentlab.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Where a ResNet VAE's frozen encoder prefix comes from: a DL4J ComputationGraph file (a zoo
 * ResNet-50 saved by ModelSerializer, or any graph with one image input) and the vertex whose
 * activations feed the trainable part of the encoder. The file is not copied into saved models
 * (a ResNet-50 is about 100 MB); its SHA-256 is, so a model never runs on a different file.
 *
 * @param file   path of the graph file
 * @param layer  name of the vertex to cut at
 * @param sha256 hex SHA-256 of the file, recorded when the model is built (null before: the model
 *               pins it, on the model-service thread, since hashing 100 MB takes a moment)
 */
public record FrozenEncoderSpec(String file, String layer, String sha256) {

    /** The spec for a file and layer; the model records the file's digest when it is built. */
    public static FrozenEncoderSpec of(Path file, String layer) {
        return new FrozenEncoderSpec(file.toAbsolutePath().normalize().toString(), layer, null);
    }

    FrozenEncoderSpec pinnedTo(String digest) {
        return new FrozenEncoderSpec(file, layer, digest);
    }

    public Path path() {
        return Path.of(file);
    }

    List<String> problems() {
        List<String> p = new ArrayList<>();
        if (file == null || file.isBlank()) p.add("the frozen encoder needs a file");
        if (layer == null || layer.isBlank()) p.add("the frozen encoder needs the name of the layer to cut at");
        if (sha256 != null && !sha256.matches("[0-9a-f]{64}")) p.add("the frozen encoder's SHA-256 must be 64 hex digits");
        return p;
    }

    /** Hex SHA-256 of a file; a ModelException naming the file if it cannot be read. */
    static String sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            byte[] buf = new byte[1 << 16];
            for (int r; (r = in.read(buf)) > 0; ) d.update(buf, 0, r);
            return HexFormat.of().formatHex(d.digest());
        } catch (IOException e) {
            throw new ModelException(file, "cannot read the frozen encoder file: " + e.getMessage());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
