package org.latentlab.model;

import java.nio.FloatBuffer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.concurrency.AffinityManager;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * Reading and writing an ND4J float array through its host memory, element by element, without a
 * Java copy: the largest arrays of a conv VAE are megabytes, and Java copies of them are humongous
 * objects for the G1 collector that can start a collection while the window is drawing.
 */
final class HostFloats {
    private HostFloats() {
    }

    /**
     * The memory of a whole c-ordered float array, in its element order, current on the host.
     * {@code what} names the array in the error if it is a view or of another layout.
     */
    static FloatBuffer view(INDArray a, String what) {
        Nd4j.getAffinityManager().ensureLocation(a, AffinityManager.Location.HOST);
        if (a.isView() || a.ordering() != 'c' || a.dataType() != DataType.FLOAT) {
            throw new IllegalStateException(what + ": not a whole c-ordered float array");
        }
        return a.data().asNioFloat();
    }

    /** After writing through {@link #view}: a GPU backend copies the arrays over before their next use. */
    static void written(INDArray... arrays) {
        for (INDArray a : arrays) Nd4j.getAffinityManager().tagLocation(a, AffinityManager.Location.HOST);
    }
}
