package org.latentlab.ui.training;

import static org.junit.jupiter.api.Assertions.*;

import java.util.List;
import org.latentlab.data.Channels;
import org.latentlab.data.Dataset;
import org.latentlab.model.Architecture;
import org.latentlab.model.SpecPresets;
import org.latentlab.model.TestData;
import org.junit.jupiter.api.Test;

/** The Training pane shows each architecture's layer sizes and keeps what the user typed. */
class TrainingSettingsTest {
    private final Dataset rgbd = TestData.dataset(8, 4, Channels.RGBD, 32, 32, 3, 1);

    @Test
    void layerSizesShowThePresetOfTheArchitectureAndDataset() {
        TrainingSettings s = new TrainingSettings();
        s.adaptTo(rgbd);
        var conv = SpecPresets.preset(Architecture.CONV_VAE, Channels.RGBD, 32, 32, 16, 3);
        assertEquals(join(conv.convFilters()), s.getConvFilters());
        assertEquals(join(conv.hiddenSizes()), s.getHiddenSizes());
        assertFalse(s.getConvFilters().isBlank());

        int[] notified = {0};
        s.whenLayerDefaultsChange(() -> notified[0]++);
        s.setArchitecture(Architecture.MLP_VAE);
        var mlp = SpecPresets.preset(Architecture.MLP_VAE, Channels.RGBD, 32, 32, 16, 3);
        assertEquals(join(mlp.hiddenSizes()), s.getHiddenSizes());
        assertEquals("", s.getConvFilters(), "an MLP has no conv filters");
        assertEquals(1, notified[0]);
        assertEquals(mlp.hiddenSizes(), s.toSpec(rgbd).hiddenSizes());
    }

    @Test
    void layerSizesTheUserSetSurviveAnArchitectureChange() {
        TrainingSettings s = new TrainingSettings();
        s.adaptTo(rgbd);
        s.setConvFilters("8,16,24");
        s.setArchitecture(Architecture.VGG_VAE);
        assertEquals("8,16,24", s.getConvFilters());
        assertEquals(List.of(8, 16, 24), s.toSpec(rgbd).convFilters());
    }

    @Test
    void aFrozenEncoderFileGoesIntoTheResnetSpecOnly() {
        TrainingSettings s = new TrainingSettings();
        s.adaptTo(rgbd);
        s.setArchitecture(Architecture.RESNET_VAE);
        assertNull(s.toSpec(rgbd).frozenEncoder(), "blank file: the encoder trains from scratch");
        s.setFrozenEncoderFile(" /models/resnet50.zip ");
        IllegalArgumentException noLayer = assertThrows(IllegalArgumentException.class, () -> s.toSpec(rgbd));
        assertTrue(noLayer.getMessage().contains("layer"), noLayer.getMessage());
        s.setFrozenEncoderLayer("res3a_branch2a");
        var f = s.toSpec(rgbd).frozenEncoder();
        assertEquals(java.nio.file.Path.of("/models/resnet50.zip"), f.path());
        assertEquals("res3a_branch2a", f.layer());
        s.setArchitecture(Architecture.CONV_VAE);
        assertThrows(IllegalArgumentException.class, () -> s.toSpec(rgbd));
    }

    private static String join(List<Integer> v) {
        return String.join(",", v.stream().map(String::valueOf).toList());
    }

    @Test
    void thePropertySheetShowsEverySettingLabelledExplainedAndInOrder() {
        var items = TrainingSettingsBeanInfo.ordered(org.controlsfx.property.BeanPropertyUtils.getProperties(new TrainingSettings()));
        assertEquals(18, items.size(), "one editor per setting");
        assertEquals("Architecture", items.get(0).getName());
        assertEquals("Latent size", items.get(1).getName());
        assertEquals("Steps per epoch", items.get(items.size() - 1).getName());
        for (var item : items) {
            assertFalse(item.getName().matches(".*[a-z][A-Z].*"), "a raw property name is shown: " + item.getName());
            assertTrue(item.getName().length() <= 15, "does not fit the name column: " + item.getName());
            assertFalse(item.getDescription() == null || item.getDescription().isBlank(), item.getName() + " has no tooltip");
        }
    }
}
