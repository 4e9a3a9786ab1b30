package org.latentlab.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.PrintWriter;
import java.util.Map;

/** How every command reports: human lines, and with --json one JSON object as the last line. */
public final class CliOutput {
    static final ObjectMapper JSON = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private final PrintWriter out;
    private final boolean json;

    public CliOutput(PrintWriter out, boolean json) {
        this.out = out;
        this.json = json;
    }

    boolean json() { return json; }

    /** A human-readable line (also printed in --json mode, before the JSON line). */
    public void line(String text) {
        out.println(text);
        out.flush();
    }

    /** The command's result: one JSON line in --json mode. */
    public void result(Map<String, ?> result) {
        if (!json) return;
        try {
            out.println(JSON.writeValueAsString(result));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON result", e);
        }
        out.flush();
    }
}
