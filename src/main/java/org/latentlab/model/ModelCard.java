package org.latentlab.model;

import java.util.List;

/**
 * What a saved model says about itself (card.json in the model zip): its spec, the data it was
 * trained on, final metrics, seed, dates and versions.
 *
 * @param name            display name (the file stem unless set)
 * @param spec            the full model spec
 * @param dataset         name of the training dataset
 * @param classNames      class names of that dataset (for legends and conditional decoding)
 * @param depthMaxMetres  depth scale of the training data (RGB-D), 0 otherwise: converts decoded depth to metres
 * @param epochs          completed training epochs
 * @param steps           training steps taken
 * @param train           final train metrics (may be null)
 * @param test            final test metrics (may be null)
 * @param seed            training seed
 * @param created         ISO-8601 date of saving
 * @param trainingSeconds wall time spent training
 * @param latentLabVersion version of the app that trained it
 * @param nd4jVersion     ND4J version and native build
 * @param stopReason      how training ended (COMPLETED, CANCELLED, DIVERGED, ... or "" if untrained)
 */
public record ModelCard(String name, VaeSpec spec, String dataset, List<String> classNames, float depthMaxMetres,
                        int epochs, long steps, Metrics train, Metrics test, long seed, String created,
                        double trainingSeconds, String latentLabVersion, String nd4jVersion, String stopReason) {

    public static final String LATENT_LAB_VERSION = "0.1.0";

    public ModelCard {
        classNames = classNames == null ? List.of() : List.copyOf(classNames);
        stopReason = stopReason == null ? "" : stopReason;
    }

    /** A card for an untrained model. */
    /** This card describing another spec (the rest unchanged). */
    public ModelCard withSpec(VaeSpec s) {
        return new ModelCard(name, s, dataset, classNames, depthMaxMetres, epochs, steps, train, test, seed, created,
                trainingSeconds, latentLabVersion, nd4jVersion, stopReason);
    }

    public static ModelCard untrained(String name, VaeSpec spec) {
        return new ModelCard(name, spec, "", List.of(), 0f, 0, 0, null, null, spec.seed(),
                java.time.Instant.now().toString(), 0, LATENT_LAB_VERSION, currentNd4jVersion(), "");
    }

    public ModelCard withName(String n) {
        return new ModelCard(n, spec, dataset, classNames, depthMaxMetres, epochs, steps, train, test, seed, created, trainingSeconds, latentLabVersion, nd4jVersion, stopReason);
    }

    public ModelCard withCreatedNow() {
        return new ModelCard(name, spec, dataset, classNames, depthMaxMetres, epochs, steps, train, test, seed,
                java.time.Instant.now().toString(), trainingSeconds, LATENT_LAB_VERSION, currentNd4jVersion(), stopReason);
    }

    /** ND4J version plus the native build in use, e.g. "1.0.0-M2.1 -onednn-avx2". */
    public static String currentNd4jVersion() {
        String v = "1.0.0-M2.1";
        try (var in = ModelCard.class.getResourceAsStream("/META-INF/maven/org.nd4j/nd4j-api/pom.properties")) {
            if (in != null) {
                var p = new java.util.Properties();
                p.load(in);
                v = p.getProperty("version", v);
            }
        } catch (Exception ignored) {
            // keep the default
        }
        String ext = NativeSetup.nativeExtension();
        return ext.isEmpty() ? v : v + " " + ext;
    }

    public String toJson() {
        try {
            return VaeSpec.mapper().writeValueAsString(this);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static ModelCard fromJson(String json) {
        try {
            return VaeSpec.mapper().readValue(json, ModelCard.class);
        } catch (Exception e) {
            throw new IllegalArgumentException("not a model card: " + e.getMessage(), e);
        }
    }
}
