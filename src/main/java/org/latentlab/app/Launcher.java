package org.latentlab.app;

import java.util.OptionalInt;
import org.latentlab.cli.LatentLabCli;
import org.latentlab.model.NativeSetup;

/**
 * Entry point of {@code latent-lab.jar}. Deliberately not a JavaFX Application subclass so that the
 * JavaFX runtime can be loaded from the class path. With no arguments (or only GUI options such as
 * {@code --screenshot DIR}) it starts the GUI; with a command it runs the command line.
 */
public final class Launcher {
    private Launcher() {}

    public static void main(String[] args) {
        GuiJvm.confirmStarted(); // when this is the GUI's second JVM: it did start
        if (isGuiInvocation(args)) {
            try {
                LatentLabApp.StartOptions.parse(java.util.List.of(args)); // a wrong option is told here, not in a trace
            } catch (IllegalArgumentException e) {
                System.err.println("latent-lab: " + e.getMessage());
                System.exit(2);
            }
        }
        if (isGuiInvocation(args) || args[0].equals("bench-gui")) {
            OptionalInt status = GuiJvm.relaunch(args); // in a JVM with a low-pause collector
            if (status.isPresent()) System.exit(status.getAsInt());
        }
        NativeSetup.init(); // native build choice and quiet logging, before any library loads
        if (args.length > 1 && args[0].equals("bench-gui") && java.util.Arrays.asList(args).contains("--baseline")) {
            // the floor this display gives any JavaFX app, for reading the explorer's figures
            DisplayBaseline.launchBaseline(java.util.Arrays.asList(args).contains("--json"));
        } else if (args.length > 0 && args[0].equals("bench-gui")) {
            // a command name for users, a GUI option inside: it measures the running app
            String[] gui = args.clone();
            gui[0] = "--bench-gui";
            LatentLabApp.launchGui(gui);
        } else if (isGuiInvocation(args)) {
            LatentLabApp.launchGui(args);
        } else {
            System.exit(LatentLabCli.run(args));
        }
    }

    static boolean isGuiInvocation(String[] args) {
        return args.length == 0 || args[0].startsWith("--") && !args[0].equals("--help")
                && !args[0].equals("--version") && !args[0].equals("-h");
    }
}
