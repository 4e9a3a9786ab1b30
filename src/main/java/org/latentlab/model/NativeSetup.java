package org.latentlab.model;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Must run before ND4J first loads (every entry point calls {@link #init()} first): selects the
 * oneDNN AVX2 native build when the CPU has AVX2 and the jar is on the class path, quiets ND4J's
 * INFO logging, and after ND4J starts limits it to one OpenMP thread.
 */
public final class NativeSetup {
    static final String EXTENSION_PROPERTY = "org.bytedeco.javacpp.platform.extension";
    private static final String ONEDNN = "-onednn-avx2";
    private static volatile boolean propertiesDone;
    private static volatile boolean nd4jDone;

    private NativeSetup() {
    }

    /** Sets system properties (cheap, idempotent). Call first thing in main / test set-up. */
    public static synchronized void init() {
        if (propertiesDone) return;
        propertiesDone = true;
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
        if (System.getProperty(EXTENSION_PROPERTY) == null && cpuHasAvx2() && oneDnnOnClassPath()) {
            System.setProperty(EXTENSION_PROPERTY, ONEDNN);
        }
    }

    /** {@link #init()} plus start ND4J with one OpenMP thread. Called on the model-service thread. */
    public static synchronized void initNd4j() {
        init();
        if (nd4jDone) return;
        nd4jDone = true;
        try {
            org.nd4j.linalg.factory.Nd4j.create(1); // loads the backend
        } catch (Throwable t) {
            throw new ModelException(null, "ND4J native backend failed to load: " + t, t);
        }
        // ND4J calls System.gc() periodically by default: stalls of seconds on a busy machine
        org.nd4j.linalg.factory.Nd4j.getMemoryManager().togglePeriodicGc(false);
        org.nd4j.linalg.factory.Nd4j.getEnvironment().setMaxThreads(1);
        org.nd4j.nativeblas.NativeOpsHolder.getInstance().getDeviceNativeOps().setOmpNumThreads(1);
        // OpenBLAS (the GemmVae engine's sgemm) would use every core; one leaves a core for the UI
        setMatrixThreads(1);
    }

    /**
     * Threads the GemmVae engine may use ({@link Parts}), for its matrix products (split into blocks,
     * see {@link Blas}) and its Java-side passes; OpenBLAS's own threading stays at one. The app keeps
     * 1 so the JavaFX thread has a core; the bench also runs with every core to match PyTorch's
     * default build, whose OpenBLAS ignores {@code torch.set_num_threads}.
     */
    public static void setMatrixThreads(int threads) {
        initNd4j();
        org.nd4j.linalg.factory.Nd4j.factory().blas().setMaxThreads(1);
        Parts.setCount(threads);
    }

    /** The threads {@link #setMatrixThreads} last set. */
    public static int matrixThreads() {
        return Parts.count();
    }

    /** Every core but one, which the app leaves to its JavaFX thread: 1 on a 2-core machine. */
    public static int threadsBesideUi() {
        return Math.max(1, Runtime.getRuntime().availableProcessors() - 1);
    }

    /** "-onednn-avx2" when that build is selected, "" otherwise. */
    public static String nativeExtension() {
        String e = System.getProperty(EXTENSION_PROPERTY);
        return e == null ? "" : e;
    }

    static boolean oneDnnOnClassPath() {
        return NativeSetup.class.getResource(
                "/org/nd4j/linalg/cpu/nativecpu/bindings/linux-x86_64-onednn-avx2/libjnind4jcpu.so") != null;
    }

    static boolean cpuHasAvx2() {
        try {
            Path p = Path.of("/proc/cpuinfo");
            if (!Files.isReadable(p)) return false;
            for (String line : Files.readAllLines(p)) {
                if (line.startsWith("flags")) return (" " + line + " ").contains(" avx2 ");
            }
        } catch (Exception e) {
            return false;
        }
        return false;
    }
}
