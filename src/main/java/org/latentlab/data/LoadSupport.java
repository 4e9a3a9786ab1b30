package org.latentlab.data;

import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Small helpers shared by the IDX, CIFAR and image-folder readers. */
final class LoadSupport {
    /** The largest float array the JVM reliably allocates. */
    static final long MAX_VALUES = Integer.MAX_VALUE - 16;
    /** A class-names file larger than this is not a list of class names. */
    private static final long MAX_NAMES_FILE = 1 << 20;

    private LoadSupport() {}

    /**
     * How many samples to read from a source that has no split of its own, so that after
     * {@link Dataset#split} neither part exceeds {@code opt.limit()}; 0 = all.
     */
    static int readCapForSplit(LoadOptions opt) {
        if (opt.limit() <= 0) return 0;
        double f = Math.min(1, Math.max(0, opt.testFraction()));
        double larger = Math.max(f, 1 - f);
        return (int) Math.min(Integer.MAX_VALUE, Math.max(opt.limit(), Math.floor(opt.limit() / larger)));
    }

    /** Flat image sources have no depth: asking for RGBD is a fault of the request, named here. */
    static void requireNoDepth(Path source, LoadOptions opt, String format) {
        if (opt.channels() == Channels.RGBD) {
            throw new DataException(source, "", format + " data has no depth: it cannot be read as RGBD");
        }
    }

    /** Splits one set per the options and then caps each part at {@code opt.limit()}. */
    static Dataset splitAndCap(String name, String format, Path source, ImageSet all, LoadOptions opt) {
        Dataset d = Dataset.split(name, format, source, all, opt.testFraction(), opt.seed());
        return capped(d, opt.limit());
    }

    static Dataset capped(Dataset d, int limit) {
        if (limit <= 0) return d;
        return new Dataset(d.name(), d.format(), d.source(), d.train().head(limit), d.test().head(limit));
    }

    /**
     * Reads a class-names file: UTF-8, one name per line, surrounding blanks trimmed, blank lines
     * ignored.
     */
    static List<String> readClassNames(Path file) {
        try {
            long size = Files.size(file);
            if (size > MAX_NAMES_FILE) {
                throw new DataException(file, "", "class-names file is " + size
                        + " bytes; expected a short list of names, one per line");
            }
            String text = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file))).toString();
            List<String> names = new ArrayList<>();
            for (String line : text.split("\r?\n|\r")) {
                String s = line.strip();
                if (s.startsWith("\uFEFF")) s = s.substring(1).strip();
                if (!s.isEmpty()) names.add(s);
            }
            if (names.isEmpty()) {
                throw new DataException(file, "", "class-names file holds no names");
            }
            return names;
        } catch (CharacterCodingException e) {
            throw new DataException(file, "", "class-names file is not valid UTF-8 text", e);
        } catch (IOException e) {
            throw new DataException(file, "", "cannot read class-names file: " + describe(e), e);
        }
    }

    /** The default names "0".."n-1". */
    static List<String> numberNames(int n) {
        List<String> names = new ArrayList<>(n);
        for (int i = 0; i < n; i++) names.add(Integer.toString(i));
        return names;
    }

    /** An exception's message for a user, never just "null". */
    static String describe(Throwable e) {
        String m = e.getMessage();
        String type = e.getClass().getSimpleName();
        return m == null || m.isBlank() ? type : type + ": " + m;
    }

    /** Whether a file or folder name is hidden by convention (".xxx"). */
    static boolean hidden(Path p) {
        Path name = p.getFileName();
        return name != null && name.toString().startsWith(".");
    }

    static String fileName(Path p) {
        Path name = p.getFileName();
        return name == null ? p.toString() : name.toString();
    }
}
