package org.latentlab.data;

import java.nio.file.Path;

/**
 * The one error every reader throws for bad input: it names the file, where in it the fault is
 * (a byte offset, a record, a frame, an entry) and what is wrong. Unchecked so that it crosses
 * streams and lambdas, but callers at the edges (CLI, UI) catch it and show {@link #getMessage()}.
 */
public class DataException extends RuntimeException {
    private final Path file;
    private final String position;
    private final String fault;

    public DataException(Path file, String position, String fault) {
        this(file, position, fault, null);
    }

    public DataException(Path file, String position, String fault, Throwable cause) {
        super(format(file, position, fault), cause);
        this.file = file;
        this.position = position;
        this.fault = fault;
    }

    /** A fault at a byte offset of a binary file. */
    public static DataException atByte(Path file, long offset, String fault) {
        return new DataException(file, "byte " + offset, fault);
    }

    private static String format(Path file, String position, String fault) {
        StringBuilder sb = new StringBuilder();
        sb.append(file == null ? "<no file>" : file.toString());
        if (position != null && !position.isEmpty()) {
            sb.append(" (").append(position).append(")");
        }
        return sb.append(": ").append(fault).toString();
    }

    public Path file() {
        return file;
    }

    /** Where in the file the fault applies, e.g. "byte 16", "record 3", "frame 12"; may be empty. */
    public String position() {
        return position;
    }

    /** What is wrong, without the file name. */
    public String fault() {
        return fault;
    }
}
