package org.latentlab.data;

import static org.junit.jupiter.api.Assertions.*;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir Path dir;

    @Test
    void writesTheFileWithTheFolderDefaultPermissions() throws IOException {
        Path plain = Files.writeString(dir.resolve("plain.txt"), "x");
        Path file = AtomicFiles.write(dir.resolve("sub/out.csv"), tmp -> Files.writeString(tmp, "a,b\n1,2\n"));
        assertEquals(dir.resolve("sub/out.csv").toAbsolutePath(), file);
        assertEquals("a,b\n1,2\n", Files.readString(file));
        if (Files.getFileAttributeView(file, PosixFileAttributeView.class) != null) {
            // the umask's permissions, as for any file the user creates (not owner-only)
            assertEquals(Files.getPosixFilePermissions(plain), Files.getPosixFilePermissions(file));
        }
        assertEquals(1, entries(dir.resolve("sub")), "no temporary file left");
    }

    @Test
    void aFailedWriteKeepsTheOldFileAndLeavesNoTemporaryFile() throws IOException {
        Path file = Files.writeString(dir.resolve("model.zip"), "old");
        IOException e = assertThrows(IOException.class, () -> AtomicFiles.write(file, tmp -> {
            Files.writeString(tmp, "half");
            throw new IOException("disk full");
        }));
        assertEquals("disk full", e.getMessage());
        assertEquals("old", Files.readString(file));
        assertEquals(1, entries(dir));
    }

    private static long entries(Path folder) throws IOException {
        try (Stream<Path> s = Files.list(folder)) {
            return s.count();
        }
    }
}
