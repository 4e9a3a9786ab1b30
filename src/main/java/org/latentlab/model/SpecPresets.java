package org.latentlab.model;

import java.util.ArrayList;
import java.util.List;
import org.latentlab.data.Channels;

/**
 * The default {@link VaeSpec} of each architecture for a given input shape: the one place the GUI
 * and the command line start from before applying the user's hyper-parameters.
 */
public final class SpecPresets {
    private SpecPresets() {}

    public static VaeSpec preset(Architecture a, Channels ch, int h, int w, int latent, int classes) {
        return switch (a) {
            case AUTOENCODER -> VaeSpec.autoencoder(ch, h, w, latent);
            case MLP_VAE -> VaeSpec.mlp(ch, h, w, latent);
            case CONV_VAE -> VaeSpec.conv(ch, h, w, latent);
            case VGG_VAE -> VaeSpec.vgg(ch, h, w, latent);
            case RESNET_VAE -> VaeSpec.resnet(ch, h, w, latent);
            case CONDITIONAL_VAE -> VaeSpec.conditional(ch, h, w, latent, Math.max(1, classes));
            case MULTI_ENCODER_VAE -> VaeSpec.multiEncoder(ch, h, w, latent, Math.max(2, classes),
                    halves(Math.max(2, classes)), List.of(1, 1));
        };
    }

    /** Two encoders: the first half of the classes and the second half. */
    public static List<List<Integer>> halves(int classes) {
        List<Integer> a = new ArrayList<>(), b = new ArrayList<>();
        for (int c = 0; c < classes; c++) (c < (classes + 1) / 2 ? a : b).add(c);
        return List.of(a, b);
    }

    /** Parses "0,1,2;3,4" into encoder class subsets. */
    public static List<List<Integer>> parseSubsets(String text) {
        List<List<Integer>> out = new ArrayList<>();
        for (String group : text.split(";")) {
            if (group.isBlank()) continue;
            out.add(parseInts(group));
        }
        return out;
    }

    /** Parses "400,200" into integers; blank gives an empty list. */
    public static List<Integer> parseInts(String text) {
        List<Integer> out = new ArrayList<>();
        for (String s : text.split(",")) {
            if (!s.isBlank()) out.add(Integer.parseInt(s.trim()));
        }
        return out;
    }
}
