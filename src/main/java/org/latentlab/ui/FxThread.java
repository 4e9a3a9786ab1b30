package org.latentlab.ui;

import java.util.concurrent.Executor;
import javafx.application.Platform;

/** The FX thread as an Executor: callbacks from background services are delivered through it. */
public final class FxThread {
    /** Runs directly when already on the FX thread, else via Platform.runLater. */
    public static final Executor EXECUTOR = r -> {
        if (Platform.isFxApplicationThread()) r.run(); else Platform.runLater(r);
    };

    private FxThread() {}
}
