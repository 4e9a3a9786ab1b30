package org.latentlab.latent;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Latents as CSV: one row per point, comma-separated numbers, blank lines and lines starting with
 * {@code #} ignored. An optional first line is a header when its first field is not a number; a
 * header column named {@code label} or {@code class} (any case) holds integer class labels and is
 * not part of the latent vector. Without a header there are no labels unless the caller names the
 * label column. {@link #write} writes plain numbers without header or labels, the format the
 * scikit-learn anchor script reads ({@code np.loadtxt(delimiter=",")}).
 *
 * @param x      n × d latents
 * @param labels class of each row, or null when the file has none
 */
public record LatentCsv(float[][] x, int[] labels) {

    /** Reads a CSV; labels come from a header column named label/class, if any. */
    public static LatentCsv read(Path path) throws IOException {
        return read(path, -1);
    }

    /**
     * Reads a CSV.
     *
     * @param labelColumn 0-based column holding labels, -1 to find it by header name (or have none)
     */
    public static LatentCsv read(Path path, int labelColumn) throws IOException {
        List<float[]> rows = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        int width = -1;
        int labelCol = labelColumn;
        int lineNo = 0;
        boolean first = true;
        for (String line : Files.readAllLines(path, StandardCharsets.UTF_8)) {
            lineNo++;
            String s = line.strip();
            if (s.isEmpty() || s.startsWith("#")) continue;
            String[] f = s.split(",", -1);
            if (first) {
                first = false;
                if (!isNumber(f[0].strip())) {
                    if (labelCol < 0) {
                        for (int c = 0; c < f.length; c++) {
                            String h = f[c].strip().replace("\"", "").toLowerCase(Locale.ROOT);
                            if (h.equals("label") || h.equals("class")) labelCol = c;
                        }
                    }
                    continue;
                }
            }
            if (width < 0) width = f.length;
            if (f.length != width) {
                throw new IOException(path + " line " + lineNo + ": " + f.length + " columns, expected " + width);
            }
            if (labelCol >= width) throw new IOException(path + ": label column " + labelCol + " but " + width + " columns");
            float[] r = new float[labelCol >= 0 ? width - 1 : width];
            int o = 0;
            for (int c = 0; c < width; c++) {
                String v = f[c].strip();
                try {
                    if (c == labelCol) {
                        labels.add((int) Math.round(Double.parseDouble(v)));
                    } else {
                        r[o++] = Float.parseFloat(v);
                    }
                } catch (NumberFormatException e) {
                    throw new IOException(path + " line " + lineNo + " column " + (c + 1) + ": not a number: '" + v + "'");
                }
            }
            rows.add(r);
        }
        if (rows.isEmpty()) throw new IOException(path + ": no data rows");
        if (rows.get(0).length == 0) throw new IOException(path + ": no latent columns");
        int[] lab = null;
        if (labelCol >= 0) {
            lab = new int[labels.size()];
            for (int i = 0; i < lab.length; i++) lab[i] = labels.get(i);
        }
        return new LatentCsv(rows.toArray(new float[0][]), lab);
    }

    private static boolean isNumber(String s) {
        try {
            Double.parseDouble(s);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** Writes the first {@code rows} rows as plain comma-separated numbers (no header, no labels). */
    public static void write(Path path, float[][] x, int rows) throws IOException {
        try (BufferedWriter w = Files.newBufferedWriter(path, StandardCharsets.UTF_8)) {
            StringBuilder sb = new StringBuilder();
            for (int i = 0; i < rows; i++) {
                sb.setLength(0);
                float[] r = x[i];
                for (int j = 0; j < r.length; j++) {
                    if (j > 0) sb.append(',');
                    sb.append(r[j]);
                }
                sb.append('\n');
                w.write(sb.toString());
            }
        }
    }
}
