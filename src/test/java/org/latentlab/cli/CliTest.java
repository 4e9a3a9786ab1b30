package org.latentlab.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentlab.model.NativeSetup;
import picocli.CommandLine;

/** The command line on the shipped MNIST: inspect, a short train, eval, and the one-line errors. */
class CliTest {
    record Run(int exit, String out, String err) {
        JsonNode json() throws Exception {
            String[] lines = out.trim().split("\n");
            return CliOutput.JSON.readTree(lines[lines.length - 1]);
        }
    }

    static Run run(String... args) {
        CommandLine cl = LatentLabCli.commandLine();
        StringWriter out = new StringWriter(), err = new StringWriter();
        cl.setOut(new PrintWriter(out));
        cl.setErr(new PrintWriter(err));
        int code = cl.execute(args);
        return new Run(code, out.toString(), err.toString());
    }

    @AfterEach
    void backToTheAppsOneThread() {
        // train sets the engine's threads for the whole process; later tests expect the default
        NativeSetup.setMatrixThreads(1);
    }

    @Test
    void inspectPrintsWhatTheReaderSees() throws Exception {
        Run r = run("inspect", "mnist", "--limit", "200", "--json");
        assertEquals(0, r.exit(), r.err());
        JsonNode j = r.json();
        assertEquals("GRAY", j.get("channels").asText());
        assertEquals(28, j.get("height").asInt());
        assertEquals(200, j.get("train").asInt());
        assertEquals(10, j.get("classes").size());
    }

    @Test
    void badFileGivesOneLineNamingTheFileAndExitsNonZero(@TempDir Path tmp) throws Exception {
        Path bad = tmp.resolve("t10k-images-idx3-ubyte");
        Files.write(bad, new byte[] {0, 0, 8, 3, 0, 0, 0, 5, 0, 0, 0, 28, 0, 0, 0, 28, 1, 2, 3});
        Run r = run("inspect", bad.toString());
        assertEquals(LatentLabCli.EXIT_BAD_INPUT, r.exit());
        String line = r.err().trim();
        assertEquals(1, line.split("\n").length, line);
        assertTrue(line.contains(bad.getFileName().toString()), line);
    }

    @Test
    void trainThenEvalReportsFiniteMetrics(@TempDir Path tmp) throws Exception {
        Path model = tmp.resolve("tiny.zip");
        Run t = run("train", "--data", "mnist", "--limit", "256", "--arch", "MLP_VAE", "--latent", "2",
                "--hidden", "32", "--epochs", "1", "--batch", "64", "--out", model.toString(), "--json");
        assertEquals(0, t.exit(), t.err());
        assertTrue(Files.isRegularFile(model));
        Run e = run("eval", "--model", model.toString(), "--limit", "256", "--json");
        assertEquals(0, e.exit(), e.err());
        JsonNode j = e.json();
        assertEquals(256, j.get("count").asInt());
        assertTrue(Double.isFinite(j.get("total").asDouble()) && j.get("total").asDouble() > 0);
        assertTrue(j.get("elbo").asDouble() < 0, "ELBO of BCE images is negative nats");
    }

    @Test
    void roomsOptionSetsHowManyTrainingRoomsAreGenerated() throws Exception {
        Run r = run("inspect", "rooms", "--size", "16x16", "--rooms", "40", "--json");
        assertEquals(0, r.exit(), r.err());
        assertEquals(40, r.json().get("train").asInt());
        assertEquals(500, r.json().get("test").asInt());
        Run bad = run("inspect", "rooms", "--rooms", "-1");
        assertEquals(LatentLabCli.EXIT_BAD_INPUT, bad.exit());
        assertTrue(bad.err().trim().contains("--rooms must be at least 0"), bad.err());
        Run other = run("inspect", "mnist", "--rooms", "40");
        assertEquals(LatentLabCli.EXIT_BAD_INPUT, other.exit());
        assertTrue(other.err().trim().contains("rooms dataset only"), other.err());
    }

    @Test
    void trainRefusesZeroThreadsWithOneLine(@TempDir Path tmp) {
        Run r = run("train", "--data", "mnist", "--limit", "64", "--threads", "0", "--out", tmp.resolve("m.zip").toString());
        assertEquals(LatentLabCli.EXIT_BAD_INPUT, r.exit());
        assertTrue(r.err().trim().contains("--threads must be at least 1"), r.err());
        assertTrue(Files.notExists(tmp.resolve("m.zip")));
    }
}
