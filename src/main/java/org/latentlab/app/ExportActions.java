package org.latentlab.app;

import java.io.IOException;
import javafx.stage.FileChooser;
import org.latentlab.ui.PaneView;
import org.latentlab.ui.Snapshots;
import org.latentlab.ui.shell.MainWindowView;

/** Export commands of the File menu. */
final class ExportActions {
    private ExportActions() {}

    static void exportPng(MainWindowView window) {
        PaneView pane = window.selectedPane();
        if (pane == null) return;
        FileChooser fc = new FileChooser();
        fc.setTitle("Export " + pane.title() + " as PNG");
        fc.setInitialFileName(pane.title().toLowerCase().replaceAll("[^a-z0-9]+", "-") + ".png");
        fc.getExtensionFilters().add(new FileChooser.ExtensionFilter("PNG image", "*.png"));
        var file = fc.showSaveDialog(window.root().getScene().getWindow());
        if (file == null) return;
        try {
            Snapshots.writePng(Snapshots.node(pane.exportNode()), file.toPath());
            window.status("Exported " + file);
        } catch (IOException e) {
            window.error("Export failed: " + file + ": " + e.getMessage());
        }
    }
}
