package org.latentlab.model;

import static org.junit.jupiter.api.Assertions.*;

import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.latentlab.data.ImageSet;

class ModelStoreTest {
    @TempDir
    Path dir;

    @Test
    void saveLoadGivesIdenticalOutputs() throws Exception {
        VaeSpec s = VaeModelTest.small(Architecture.CONV_VAE).withBatchSize(16);
        VaeModel m = VaeModel.create(s);
        ImageSet set = VaeModelTest.dataFor(s, 16);
        float[] b = TestData.batch(set, 0, 16, s.normalization());
        m.trainStep(b, null, 16);
        Path f = ModelStore.save(m, ModelCard.untrained("conv-test", s), dir.resolve("models/conv-test.zip"));
        assertTrue(Files.exists(f));
        try (Stream<Path> tmp = Files.list(f.getParent())) {
            assertEquals(1, tmp.count(), "no temp files left behind");
        }
        ModelStore.Loaded l = ModelStore.load(f);
        assertEquals(s, l.card().spec());
        assertEquals("conv-test", l.card().name());
        Encoded e1 = m.encode(b, 16, null), e2 = l.model().encode(b, 16, null);
        float[][] d1 = m.decode(e1.mu(), null), d2 = l.model().decode(e2.mu(), null);
        for (int i = 0; i < 16; i++) {
            assertArrayEquals(e1.mu()[i], e2.mu()[i], 1e-6f);
            assertArrayEquals(d1[i], d2[i], 1e-6f);
        }
        assertEquals(1, ModelStore.list(f.getParent()).size());
    }

    @Test
    void truncatedZipIsAClearError() throws Exception {
        VaeSpec s = VaeModelTest.small(Architecture.MLP_VAE);
        Path f = ModelStore.save(VaeModel.create(s), ModelCard.untrained("m", s), dir.resolve("m.zip"));
        byte[] all = Files.readAllBytes(f);
        Path cut = dir.resolve("cut.zip");
        Files.write(cut, java.util.Arrays.copyOf(all, all.length / 2));
        ModelException e = assertThrows(ModelException.class, () -> ModelStore.load(cut));
        assertTrue(e.getMessage().contains("cut.zip"), e.getMessage());
        assertEquals(cut, e.file());
    }

    @Test
    void nonZipIsAClearError() throws Exception {
        Path f = dir.resolve("notes.zip");
        Files.writeString(f, "hello, I am not a model");
        ModelException e = assertThrows(ModelException.class, () -> ModelStore.load(f));
        assertTrue(e.getMessage().startsWith(f.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("not a model zip"), e.getMessage());
        ModelException missing = assertThrows(ModelException.class, () -> ModelStore.load(dir.resolve("nothing.zip")));
        assertTrue(missing.getMessage().contains("no such file"));
        Path foreign = dir.resolve("foreign.zip");
        try (ZipOutputStream z = new ZipOutputStream(Files.newOutputStream(foreign))) {
            z.putNextEntry(new ZipEntry("readme.txt"));
            z.write("x".getBytes(StandardCharsets.UTF_8));
        }
        ModelException fe = assertThrows(ModelException.class, () -> ModelStore.load(foreign));
        assertTrue(fe.getMessage().contains("no card.json"), fe.getMessage());
    }

    @Test
    void cardThatDoesNotMatchWeightsIsAClearError() throws Exception {
        VaeSpec mlp = VaeModelTest.small(Architecture.MLP_VAE);
        Path f = ModelStore.save(VaeModel.create(mlp), ModelCard.untrained("m", mlp), dir.resolve("m.zip"));
        // rewrite the card to claim a conv model, keep the MLP graph
        VaeSpec conv = VaeModelTest.small(Architecture.CONV_VAE);
        Path liar = dir.resolve("liar.zip");
        try (ZipFile in = new ZipFile(f.toFile()); OutputStream os = Files.newOutputStream(liar); ZipOutputStream z = new ZipOutputStream(os)) {
            z.putNextEntry(new ZipEntry(ModelStore.CARD));
            z.write(ModelCard.untrained("liar", conv).toJson().getBytes(StandardCharsets.UTF_8));
            z.putNextEntry(new ZipEntry(ModelStore.GRAPH));
            z.write(in.getInputStream(in.getEntry(ModelStore.GRAPH)).readAllBytes());
        }
        ModelException e = assertThrows(ModelException.class, () -> ModelStore.load(liar));
        assertTrue(e.getMessage().contains("liar.zip"), e.getMessage());
        assertTrue(e.getMessage().contains("do not match the CONV_VAE spec"), e.getMessage());
        // and a damaged graph entry
        Path damaged = dir.resolve("damaged.zip");
        try (OutputStream os = Files.newOutputStream(damaged); ZipOutputStream z = new ZipOutputStream(os)) {
            z.putNextEntry(new ZipEntry(ModelStore.CARD));
            z.write(ModelCard.untrained("d", mlp).toJson().getBytes(StandardCharsets.UTF_8));
            z.putNextEntry(new ZipEntry(ModelStore.GRAPH));
            z.write(new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
        }
        ModelException de = assertThrows(ModelException.class, () -> ModelStore.load(damaged));
        assertTrue(de.getMessage().contains("damaged.zip") && de.getMessage().contains("graph.fb"), de.getMessage());
    }
}
