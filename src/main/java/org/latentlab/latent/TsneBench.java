package org.latentlab.latent;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Side-by-side benchmark of the projections against scikit-learn's Barnes-Hut t-SNE (the anchor
 * script {@code tsne_sklearn.py}). For each size n (the first n rows of the latents, as the script
 * takes them) it runs our t-SNE and PCA, then — when {@code python3} with scikit-learn and the
 * script are there — the script on the same rows, one size at a time so that both see the same
 * machine load, and prints Latent Lab seconds ÷ scikit-learn seconds. UMAP and PCA also run once on
 * all the given rows. No warm-up run: the Java timings include JIT compilation, as the first
 * projection in the app does. Timings are wall-clock; "others" is the CPU load of other processes
 * during a run (cores, from /proc/stat), which on a shared machine explains outliers.
 *
 * <p>Run from the command line (the CLI's {@code bench} command calls {@link #run}):
 * <pre>
 * java -cp target/classes:$(cat cp.txt) org.latentlab.latent.TsneBench [--csv FILE [--label-column I]]
 *     [--generate N] [--sizes 2000,5000,10000] [--script ../shared/anchors/tsne_sklearn.py]
 *     [--no-reference] [--threads 2] [--kl-tolerance 0] [--json OUT]
 * </pre>
 * Without {@code --csv} it generates N (default 60,000) clustered 16-D latents
 * ({@link ClusteredLatents}, 10 anisotropic Gaussian clusters, seed 1).
 */
public final class TsneBench {

    /** One timed run. @param impl "latentlab" or "sklearn"; kl and iterations NaN / -1 where not applicable */
    public record Run(String algo, String impl, int n, double seconds, double kl, int iterations, double ownCores,
                      double otherCores, String note) {
    }

    /**
     * @param runs            every timed run
     * @param tsneRatio       per size: our t-SNE seconds ÷ scikit-learn's (absent without the reference)
     * @param referenceStatus "ran", or why the reference did not run
     */
    public record Result(int dims, List<Run> runs, Map<Integer, Double> tsneRatio, String referenceStatus,
                         String sklearnVersion) {

        /** A plain map for JSON output. */
        public Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("framework", "latentlab");
            m.put("dims", dims);
            m.put("reference", referenceStatus);
            m.put("sklearn_version", sklearnVersion);
            List<Map<String, Object>> rs = new ArrayList<>();
            for (Run r : runs) {
                Map<String, Object> x = new LinkedHashMap<>();
                x.put("algo", r.algo());
                x.put("impl", r.impl());
                x.put("n", r.n());
                x.put("seconds", r.seconds());
                if (!Double.isNaN(r.kl())) x.put("kl_divergence", r.kl());
                if (r.iterations() >= 0) x.put("iterations", r.iterations());
                if (!Double.isNaN(r.ownCores())) x.put("own_cores", r.ownCores());
                if (!Double.isNaN(r.otherCores())) x.put("other_cores", r.otherCores());
                if (r.note() != null) x.put("note", r.note());
                rs.add(x);
            }
            m.put("runs", rs);
            Map<String, Double> ratio = new LinkedHashMap<>();
            tsneRatio.forEach((n, v) -> ratio.put(String.valueOf(n), v));
            m.put("tsne_ratio_latentlab_over_sklearn", ratio);
            return m;
        }
    }

    private TsneBench() {
    }

    /** Benchmarks with default options (2 threads), UMAP and PCA on all given rows. */
    public static Result run(float[][] latents, int[] sizes, boolean withReference, Path referenceScript, PrintStream out) {
        return run(latents, sizes, withReference, referenceScript, ProjectionOptions.defaults(), latents.length, out);
    }

    /**
     * @param umapSize rows for the UMAP and PCA runs (the first umapSize rows), 0 to skip them
     */
    public static Result run(float[][] latents, int[] sizes, boolean withReference, Path referenceScript,
                             ProjectionOptions opts, int umapSize, PrintStream out) {
        int[] ns = Arrays.stream(sizes).filter(s -> s >= 2).map(s -> Math.min(s, latents.length)).distinct().sorted().toArray();
        int d = latents[0].length;
        List<Run> runs = new ArrayList<>();
        Map<Integer, Double> ratio = new LinkedHashMap<>();
        String status = "not requested";
        String version = null;
        Path csv = null;
        if (withReference) {
            status = referenceAvailable(referenceScript);
            if (status.equals("ok") && ns.length > 0) {
                try {
                    csv = Files.createTempFile("latentlab-bench-", ".csv");
                    LatentCsv.write(csv, latents, ns[ns.length - 1]);
                } catch (IOException e) {
                    status = "could not write the latents CSV: " + e.getMessage();
                }
            }
            out.println("reference: " + (status.equals("ok") ? "scikit-learn via " + interpreter(referenceScript) + " " + referenceScript : status));
        }
        out.printf("latents: %d × %d, t-SNE sizes %s, %d threads, cores on this machine %d%n", latents.length, d,
                Arrays.toString(ns), opts.threads(), Runtime.getRuntime().availableProcessors());
        try {
            for (int n : ns) {
                float[][] sub = Arrays.copyOf(latents, n);
                Run t = timed("tsne", n, () -> Projections.project(ProjectionMethod.TSNE, sub, null,
                        opts.withTsneSampleCap(Math.max(n, opts.tsneSampleCap())), null, null));
                runs.add(t);
                out.printf("Latent Lab t-SNE n=%d: %.2fs KL %.3f iters %d (own %.2f cores, others %.2f)%n", n, t.seconds(),
                        t.kl(), t.iterations(), t.ownCores(), t.otherCores());
                if (csv != null && status.equals("ok")) {
                    Map<String, Object> res;
                    try {
                        res = runReference(referenceScript, csv, n, out);
                    } catch (IOException e) {
                        status = "reference failed: " + e.getMessage();
                        out.println(status);
                        continue;
                    }
                    version = String.valueOf(res.get("version"));
                    Object rl = res.get("runs");
                    if (rl instanceof List<?> list) {
                        for (Object o : list) {
                            if (!(o instanceof Map<?, ?> r)) continue;
                            String algo = String.valueOf(r.get("algo"));
                            double sec = num(r.get("seconds"));
                            Run s = new Run(algo, "sklearn", n, sec, num(r.get("kl_divergence")),
                                    r.get("n_iter") == null ? -1 : (int) num(r.get("n_iter")) + 1, num(r.get("own_cores")),
                                    num(r.get("other_cores")), null);
                            runs.add(s);
                            if (algo.equals("tsne")) {
                                ratio.put(n, t.seconds() / sec);
                                out.printf("  ratio n=%d: Latent Lab %.2fs / sklearn %.2fs = %.2f; KL %.3f vs %.3f%n", n,
                                        t.seconds(), sec, t.seconds() / sec, t.kl(), s.kl());
                            }
                        }
                    }
                }
            }
            if (umapSize > 0) {
                int n = Math.min(umapSize, latents.length);
                float[][] sub = Arrays.copyOf(latents, n);
                Run p = timed("pca", n, () -> Projections.project(ProjectionMethod.PCA, sub, opts, null, null));
                runs.add(p);
                out.printf("Latent Lab PCA n=%d: %.3fs%n", n, p.seconds());
                Run u = timed("umap", n, () -> Projections.project(ProjectionMethod.UMAP, sub, opts, null, null));
                runs.add(u);
                out.printf("Latent Lab UMAP n=%d: %.2fs (own %.2f cores, others %.2f) %s%n", n, u.seconds(), u.ownCores(),
                        u.otherCores(), u.note());
            }
        } finally {
            if (csv != null) {
                try {
                    Files.deleteIfExists(csv);
                } catch (IOException ignored) {
                    // temp file
                }
            }
        }
        if (csv != null && status.equals("ok")) status = "ran";
        if (!ratio.isEmpty()) {
            out.println("t-SNE time ratio (Latent Lab ÷ sklearn): " + ratio);
        }
        return new Result(d, runs, ratio, status, version);
    }

    private static double num(Object o) {
        return o instanceof Number nn ? nn.doubleValue() : Double.NaN;
    }

    private interface Job {
        Projection run();
    }

    private static Run timed(String algo, int n, Job job) {
        long cpu0 = processCpuNanos();
        long busy0 = busyJiffies();
        long t0 = System.nanoTime();
        Projection p = job.run();
        double s = (System.nanoTime() - t0) / 1e9;
        double own = cpu0 < 0 ? Double.NaN : (processCpuNanos() - cpu0) / 1e9;
        long busy1 = busyJiffies();
        double others = busy0 < 0 || Double.isNaN(own) ? Double.NaN : Math.max(0, (busy1 - busy0) / 100.0 - own) / s;
        return new Run(algo, "latentlab", n, s, p.stat("kl_divergence"),
                p.stats().containsKey("iterations") ? (int) p.stat("iterations") : -1,
                Double.isNaN(own) ? Double.NaN : Math.round(own / s * 100) / 100.0,
                Double.isNaN(others) ? Double.NaN : Math.round(others * 100) / 100.0, note(p));
    }

    /** The projection's note, with UMAP's time per phase. */
    private static String note(Projection p) {
        if (!p.stats().containsKey("knn_seconds")) return p.note();
        return p.note() + String.format("; kNN %.1f s, graph %.1f s, layout %.1f s",
                p.stat("knn_seconds"), p.stat("graph_seconds"), p.stat("optimize_seconds"));
    }

    private static long processCpuNanos() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        if (os instanceof com.sun.management.OperatingSystemMXBean sun) return sun.getProcessCpuTime();
        return -1;
    }

    /** Busy CPU time of the whole machine in 1/100 s (user+nice+system+irq+softirq+steal), or -1. */
    private static long busyJiffies() {
        try {
            String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
            long sum = 0;
            for (int i = 1; i <= 8 && i < f.length; i++) sum += Long.parseLong(f[i]);
            return sum - Long.parseLong(f[4]) - Long.parseLong(f[5]);
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * The Python interpreter for the script: the one its {@code #!} line names when that file exists
     * (the anchors name Debian's /usr/bin/python3, which has python3-sklearn, while a python3 found
     * first on the PATH, e.g. from pyenv, may not), else {@code python3} from the PATH.
     */
    static String interpreter(Path script) {
        try (BufferedReader r = Files.newBufferedReader(script, StandardCharsets.UTF_8)) {
            String first = r.readLine();
            if (first != null && first.startsWith("#!")) {
                String[] cmd = first.substring(2).trim().split("\\s+");
                if (cmd.length == 1 && cmd[0].contains("python") && Files.isExecutable(Path.of(cmd[0]))) return cmd[0];
            }
        } catch (IOException | RuntimeException e) {
            // fall back to the PATH
        }
        return "python3";
    }

    /** "ok", or why the reference cannot run. */
    static String referenceAvailable(Path script) {
        if (script == null || !Files.isRegularFile(script)) return "reference script not found: " + script;
        String python = interpreter(script);
        try {
            Process p = new ProcessBuilder(python, "-c", "import sklearn, numpy").redirectErrorStream(true).start();
            String o = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            if (p.waitFor() != 0) return python + " cannot import scikit-learn: " + o;
            return "ok";
        } catch (IOException e) {
            return "python3 not available: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** Runs the script on the first n rows of csv (1 repetition) and parses its RESULT line. */
    @SuppressWarnings("unchecked")
    static Map<String, Object> runReference(Path script, Path csv, int n, PrintStream out) throws IOException {
        Process p = new ProcessBuilder(interpreter(script), script.toString(), csv.toString(), String.valueOf(n), "1")
                .redirectErrorStream(true).start();
        String result = null;
        StringBuilder tail = new StringBuilder();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                if (line.startsWith("RESULT ")) {
                    result = line.substring(7);
                } else {
                    out.println("  [sklearn] " + line);
                    tail.append(line).append('\n');
                    if (tail.length() > 4000) tail.delete(0, tail.length() - 4000);
                }
            }
        }
        try {
            int rc = p.waitFor();
            if (rc != 0 || result == null) throw new IOException("exit code " + rc + ", no RESULT line; output: " + tail);
        } catch (InterruptedException e) {
            p.destroy();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
        return new ObjectMapper().readValue(result, Map.class);
    }

    public static void main(String[] args) throws IOException {
        Path csvIn = null;
        int labelColumn = -1;
        int generate = 60_000;
        int[] sizes = {2000, 5000, 10_000};
        Path script = Path.of("../shared/anchors/tsne_sklearn.py");
        boolean reference = true;
        ProjectionOptions o = ProjectionOptions.defaults();
        Path json = null;
        int umapSize = -1;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--csv" -> csvIn = Path.of(args[++i]);
                case "--label-column" -> labelColumn = Integer.parseInt(args[++i]);
                case "--generate" -> generate = Integer.parseInt(args[++i]);
                case "--sizes" -> sizes = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray();
                case "--script" -> script = Path.of(args[++i]);
                case "--no-reference" -> reference = false;
                case "--threads" -> o = o.withThreads(Integer.parseInt(args[++i]));
                case "--kl-tolerance" -> o = o.withKlTolerance(Double.parseDouble(args[++i]));
                case "--umap-size" -> umapSize = Integer.parseInt(args[++i]);
                case "--json" -> json = Path.of(args[++i]);
                default -> {
                    System.err.println("unknown option " + args[i]);
                    System.exit(2);
                }
            }
        }
        float[][] x;
        if (csvIn != null) {
            x = LatentCsv.read(csvIn, labelColumn).x();
        } else {
            x = ClusteredLatents.generate(generate, 16, 10, 1).x();
        }
        Result r = run(x, sizes, reference, script, o, umapSize < 0 ? x.length : umapSize, System.out);
        String text = new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(r.toMap());
        if (json != null) {
            Files.writeString(json, text);
        } else {
            System.out.println(text);
        }
    }
}
