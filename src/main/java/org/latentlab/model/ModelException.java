package org.latentlab.model;

import java.nio.file.Path;

/**
 * The one error for model files and model construction: names the file (when there is one) and the
 * fault. Unchecked; the CLI and UI show {@link #getMessage()}.
 */
public class ModelException extends RuntimeException {
    private final Path file;
    private final String fault;

    public ModelException(Path file, String fault) {
        this(file, fault, null);
    }

    public ModelException(Path file, String fault, Throwable cause) {
        super((file == null ? "" : file + ": ") + fault, cause);
        this.file = file;
        this.fault = fault;
    }

    /** The model file concerned, or null. */
    public Path file() {
        return file;
    }

    /** What is wrong, without the file name. */
    public String fault() {
        return fault;
    }
}
