package org.latentlab.ui.dataset;

import java.nio.file.Path;
import javafx.beans.property.ReadOnlyStringProperty;
import javafx.beans.property.ReadOnlyStringWrapper;
import javafx.concurrent.Task;
import org.latentlab.app.AppModel;
import org.latentlab.data.DataException;
import org.latentlab.data.Dataset;
import org.latentlab.data.Datasets;
import org.latentlab.data.LoadOptions;

/**
 * Loads datasets for the Dataset pane. A failed load leaves the current dataset in place and puts
 * the reader's message (file + position + fault) in {@link #errorProperty()}.
 */
public class DatasetViewModel {
    private final AppModel app;
    private final ReadOnlyStringWrapper error = new ReadOnlyStringWrapper(this, "error", "");

    public DatasetViewModel(AppModel app) {
        this.app = app;
    }

    public ReadOnlyStringProperty errorProperty() { return error.getReadOnlyProperty(); }

    /** Loads a built-in name or a path in the background; returns the task (for tests). */
    public Task<Dataset> load(String nameOrPath, LoadOptions options) {
        Task<Dataset> task = new Task<>() {
            @Override
            protected Dataset call() {
                updateMessage("Loading " + nameOrPath + " …");
                updateProgress(-1, 1);
                return Datasets.open(nameOrPath, options);
            }
        };
        task.setOnSucceeded(e -> {
            error.set("");
            app.setDataset(task.getValue());
        });
        task.setOnFailed(e -> error.set(describe(task.getException(), nameOrPath)));
        return app.runDataTask(task);
    }

    public Task<Dataset> load(Path path, LoadOptions options) {
        return load(path.toString(), options);
    }

    static String describe(Throwable t, String what) {
        if (t instanceof DataException) return t.getMessage();
        if (t instanceof OutOfMemoryError) return what + ": not enough memory to load it (try a smaller size or --limit)";
        String msg = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        return what + ": " + msg;
    }
}
