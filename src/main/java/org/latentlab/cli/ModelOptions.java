package org.latentlab.cli;

import java.nio.file.Path;
import org.latentlab.data.Dataset;
import org.latentlab.data.Datasets;
import org.latentlab.model.ModelStore;
import picocli.CommandLine.Option;

/** --model FILE and --data NAME|PATH for the commands that use a trained model. */
final class ModelOptions {
    @Option(names = "--model", required = true, description = "a model file (.zip) written by train or the app")
    Path model;

    @Option(names = "--data", description = "dataset name or path (default: the dataset the model was trained on)")
    String data;

    ModelStore.Loaded load() {
        return ModelStore.load(model);
    }

    /** The dataset, resized and converted to the model's input shape. */
    Dataset dataset(ModelStore.Loaded loaded, DataOptions options) {
        String source = data != null ? data : loaded.card().dataset();
        if (source == null || source.isBlank()) {
            throw new IllegalArgumentException(model + ": the model card names no dataset; pass --data");
        }
        var spec = loaded.model().spec();
        var opt = options.toLoadOptions().withSize(spec.height(), spec.width()).withChannels(spec.channels());
        return Datasets.open(source, opt);
    }
}
