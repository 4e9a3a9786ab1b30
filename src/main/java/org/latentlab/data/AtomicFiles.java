package org.latentlab.data;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Files written whole or not at all: models, PNG and CSV exports. The content goes to a temporary
 * file beside the target, which is renamed over the target only once it is complete, so a failure
 * (or a crash) leaves the user's old file as it was. The temporary file is created with the
 * process's default permissions: {@code Files.createTempFile} makes it readable by its owner only,
 * and the rename carried that over to every saved model and export.
 */
public final class AtomicFiles {
    private AtomicFiles() {
    }

    /** Writes the content of a file, given the path to write it to. */
    public interface Content {
        void writeTo(Path file) throws IOException;
    }

    /** Writes file (creating its folder) through a temporary file beside it; returns its absolute path. */
    public static Path write(Path file, Content content) throws IOException {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        Files.createDirectories(dir);
        Path tmp = newTempFile(dir, target.getFileName().toString());
        try {
            content.writeTo(tmp);
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            return target;
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static Path newTempFile(Path dir, String name) throws IOException {
        while (true) {
            Path tmp = dir.resolve("." + name + "-" + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + ".tmp");
            try {
                return Files.createFile(tmp);
            } catch (FileAlreadyExistsException taken) {
                // another writer's name: draw again
            }
        }
    }
}
