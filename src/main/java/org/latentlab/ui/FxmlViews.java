package org.latentlab.ui;

import java.io.IOException;
import java.io.UncheckedIOException;
import javafx.fxml.FXMLLoader;

/** Loads a pane's FXML file that sits beside its controller class and returns the controller. */
public final class FxmlViews {
    private FxmlViews() {}

    public static <T> T load(Class<T> controllerClass) {
        String file = controllerClass.getSimpleName() + ".fxml";
        FXMLLoader loader = new FXMLLoader(controllerClass.getResource(file));
        try {
            loader.load();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot load " + file, e);
        }
        return loader.getController();
    }
}
