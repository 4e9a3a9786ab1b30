package org.latentlab.ui;

import javafx.scene.Node;

/** One pane of the main window: a title for its tab and the node it shows. */
public interface PaneView {
    String title();

    Node view();

    /** Called on the FX thread each time the pane's tab becomes visible. */
    default void shown() {}

    /** The node that "Export view as PNG" captures for this pane. */
    default Node exportNode() {
        return view();
    }
}
