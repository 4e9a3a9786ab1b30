package org.latentlab.app;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Finds the project home (the folder holding {@code sample-data/} and {@code models/}): the
 * {@code latentlab.home} system property, else the working directory or one of its parents, else
 * the folder above {@code target/latent-lab.jar}.
 */
public final class AppPaths {
    private AppPaths() {}

    public static Path home() {
        String prop = System.getProperty("latentlab.home");
        if (prop != null && !prop.isBlank()) {
            return Path.of(prop).toAbsolutePath();
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("sample-data"))) return p;
        }
        try {
            Path jar = Path.of(AppPaths.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (Path p = jar; p != null; p = p.getParent()) {
                if (Files.isDirectory(p.resolve("sample-data"))) return p;
            }
        } catch (URISyntaxException | SecurityException | NullPointerException ignored) {
            // fall through to the working directory
        }
        return Path.of("").toAbsolutePath();
    }

    public static Path sampleData() {
        return home().resolve("sample-data");
    }

    public static Path models() {
        return home().resolve("models");
    }
}
