package org.latentlab.app;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Consumer;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.collections.FXCollections;
import javafx.collections.ObservableList;
import javafx.concurrent.Task;
import org.latentlab.data.Dataset;
import org.latentlab.data.ImageSet;
import org.latentlab.train.ModelHandle;
import org.latentlab.train.ModelService;
import org.latentlab.ui.FxThread;

/**
 * Application state shared by the panes, as read-only properties changed only through commands
 * (FX thread). Data reading runs on its own "data-loader" thread (plain Java, no ND4J); all ND4J
 * work runs on the {@link ModelService}'s thread, whose callbacks arrive on the FX thread.
 */
public class AppModel {
    /** Test images encoded for the map, sliders and generator: at most this many. */
    public static final int MAX_ENCODED = 60_000;

    private final ReadOnlyObjectWrapper<Dataset> dataset = new ReadOnlyObjectWrapper<>(this, "dataset");
    private final ReadOnlyObjectWrapper<ModelHandle> model = new ReadOnlyObjectWrapper<>(this, "model");
    private final ReadOnlyObjectWrapper<EncodedSet> encoded = new ReadOnlyObjectWrapper<>(this, "encoded");
    private final ReadOnlyObjectWrapper<Selection> selection = new ReadOnlyObjectWrapper<>(this, "selection");
    private final javafx.beans.property.BooleanProperty exploreTraining = new javafx.beans.property.SimpleBooleanProperty(this, "exploreTraining");
    private final ObservableList<ModelHandle> loadedModels = FXCollections.observableArrayList();
    private final ExecutorService dataExecutor = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "data-loader");
        t.setDaemon(true);
        return t;
    });
    private final ModelService service;
    private Consumer<Task<?>> taskTracker = t -> {};
    private CompletableFuture<EncodedSet> encoding;

    public AppModel() {
        this(new ModelService(FxThread.EXECUTOR, true));
    }

    public AppModel(ModelService service) {
        this.service = service;
        exploreTraining.addListener((o, was, on) -> reencode());
    }

    /** When true the panes explore the training split (up to {@link #MAX_ENCODED} images) instead of the test split. */
    public javafx.beans.property.BooleanProperty exploreTrainingProperty() { return exploreTraining; }

    public ModelService service() { return service; }

    public ReadOnlyObjectProperty<Dataset> datasetProperty() { return dataset.getReadOnlyProperty(); }
    public Dataset dataset() { return dataset.get(); }

    public ReadOnlyObjectProperty<ModelHandle> modelProperty() { return model.getReadOnlyProperty(); }
    public ModelHandle model() { return model.get(); }

    /** Every model the service holds (for side-by-side comparison). */
    public ObservableList<ModelHandle> loadedModels() { return loadedModels; }

    /** The current dataset's exploration set (see {@link #explorationSet}) encoded by the current model. */
    public ReadOnlyObjectProperty<EncodedSet> encodedProperty() { return encoded.getReadOnlyProperty(); }
    public EncodedSet encoded() { return encoded.get(); }

    /** The selected sample (from the map): it becomes the sliders' base vector. */
    public ReadOnlyObjectProperty<Selection> selectionProperty() { return selection.getReadOnlyProperty(); }
    public Selection selection() { return selection.get(); }

    /** Replaces the current dataset (FX thread). Only called with a fully loaded dataset. */
    public void setDataset(Dataset d) {
        dataset.set(d);
        reencode();
    }

    /** Makes a model current (FX thread) and remembers it among the loaded ones. */
    public void setModel(ModelHandle h) {
        loadedModels.removeIf(m -> m.id() == h.id());
        loadedModels.add(h);
        model.set(h);
        reencode();
    }

    public void select(Selection s) { selection.set(s); }

    /** Where long tasks are shown (the status bar with progress and cancel). */
    public void setTaskTracker(Consumer<Task<?>> tracker) { this.taskTracker = tracker; }

    /** Runs a data task off the FX thread and shows it in the status bar. */
    public <T> Task<T> runDataTask(Task<T> task) {
        taskTracker.accept(task);
        dataExecutor.execute(task);
        return task;
    }

    /** True when the model's input shape fits the dataset. */
    public static boolean compatible(ModelHandle m, Dataset d) {
        return m != null && d != null && m.spec().channels() == d.channels()
                && m.spec().height() == d.height() && m.spec().width() == d.width();
    }

    /** The set the explorer panes work on: the test split (or train when chosen, or when there is no test split). */
    public ImageSet explorationSet(Dataset d) {
        return d.test().size() > 0 && !exploreTraining.get() ? d.test() : d.train();
    }

    /** Encodes the exploration set with the current model in the background; the result lands in {@link #encodedProperty()}. */
    public void reencode() {
        encoded.set(null);
        selection.set(null);
        ModelHandle m = model.get();
        Dataset d = dataset.get();
        if (encoding != null) encoding.cancel(false);
        if (!compatible(m, d)) return;
        ImageSet set = explorationSet(d);
        int n = Math.min(set.size(), MAX_ENCODED);
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) idx[i] = i;
        // only the means are kept: the explorer never shows log σ², and 60,000 arrays fewer stay live
        // for the collector to copy while the set is young (its first pause after encoding the
        // training split is one of the longest the window sees)
        CompletableFuture<EncodedSet> f = service.encode(m, set, idx).thenApply(e -> new EncodedSet(m, d, set, idx, e.mu()));
        encoding = f;
        f.thenAccept(es -> FxThread.EXECUTOR.execute(() -> {
            if (encoding != f) return;
            encoded.set(es);
            // every pane starts from the same image: the map marks it, the sliders decode it
            if (es.size() > 0) select(new Selection(0, es.indices()[0], es.label(0), es.mu()[0].clone()));
        }));
    }

    public void shutdown() {
        dataExecutor.shutdownNow();
        service.close();
    }

    /** Latent means μ ([row][latent]) of the images at indices of a set under one model. */
    public record EncodedSet(ModelHandle model, Dataset dataset, ImageSet set, int[] indices, float[][] mu) {
        public int size() { return indices.length; }
        public int latentSize() { return mu.length == 0 ? model.spec().latentSize() : mu[0].length; }
        public int label(int row) { return set.label(indices[row]); }
        public int[] labels() {
            int[] l = new int[indices.length];
            for (int i = 0; i < l.length; i++) l[i] = set.label(indices[i]);
            return l;
        }
    }

    /** A chosen sample: its row in the encoded set, its image index and its latent mean. */
    public record Selection(int row, int imageIndex, int label, float[] latent) {}
}
