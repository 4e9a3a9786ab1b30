package org.latentlab.ui.training;

import java.beans.IntrospectionException;
import java.beans.Introspector;
import java.beans.PropertyDescriptor;
import java.beans.SimpleBeanInfo;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.controlsfx.control.PropertySheet;

/**
 * What the Training pane's PropertySheet shows for each {@link TrainingSettings} property: a short
 * label that fits the name column, a tooltip that says what it does, and the order of the rows
 * (model shape, then loss, then optimisation). Java's Introspector finds this class by its name.
 */
public class TrainingSettingsBeanInfo extends SimpleBeanInfo {
    private record Row(String property, String label, String tooltip) {}

    private static final List<Row> ROWS = List.of(
            new Row("architecture", "Architecture", "Which VAE to train: plain autoencoder, MLP, conv, VGG, ResNet (RGB-D), conditional or multi-encoder"),
            new Row("latentSize", "Latent size", "Dimensions of z (1 to 2048); 2 gives a latent map that needs no projection"),
            new Row("convFilters", "Conv filters", "Filters per conv stage, comma-separated (e.g. 32,64); MLP models have none"),
            new Row("hiddenSizes", "Dense layers", "Widths of the dense layers before z, comma-separated (e.g. 256)"),
            new Row("normalization", "Pixel range", "ZERO_ONE with a sigmoid output, or MINUS_ONE_ONE with a tanh output (the RGB-D models)"),
            new Row("encoderClasses", "Encoder classes", "Multi-encoder VAE: the classes each encoder is fed, one group per encoder"),
            new Row("frozenEncoderFile", "Frozen encoder", "ResNet VAE: a DL4J ComputationGraph file (e.g. a zoo ResNet-50) whose prefix runs frozen in front of the encoder; empty trains from scratch"),
            new Row("frozenEncoderLayer", "Frozen layer", "The layer of that graph whose activations feed the trainable encoder (e.g. res2a_branch)"),
            new Row("reconstructionLoss", "Recon. loss", "BCE (Bernoulli likelihood, reported in nats), MSE or L1"),
            new Row("reconstructionWeight", "Recon. weight", "Weight k1 of the reconstruction term in k1·recon + k2·KL"),
            new Row("klWeight", "KL weight", "Weight k2 of the KL term (β); 1 gives the ELBO"),
            new Row("klWarmupSteps", "KL warm-up", "Steps over which the KL weight rises linearly from 0 to k2 (0: no warm-up)"),
            new Row("epochs", "Epochs", "Passes over the training split"),
            new Row("batchSize", "Batch size", "Images per Adam step"),
            new Row("learningRate", "Learning rate", "Adam's step size"),
            new Row("dropout", "Dropout", "Dropout rate on the dense layers (0: none)"),
            new Row("seed", "Seed", "Seeds the weights, batch order and noise: the same seed repeats a run"),
            new Row("maxStepsPerEpoch", "Steps per epoch", "At most this many steps per epoch, for quick demonstrations (0: the whole split)"));

    @Override
    public PropertyDescriptor[] getPropertyDescriptors() {
        try {
            PropertyDescriptor[] all = Introspector.getBeanInfo(TrainingSettings.class, Introspector.IGNORE_IMMEDIATE_BEANINFO)
                    .getPropertyDescriptors();
            List<PropertyDescriptor> shown = new ArrayList<>();
            for (PropertyDescriptor p : all) {
                if (p.getWriteMethod() == null) continue; // read-only getters are not settings
                ROWS.stream().filter(r -> r.property().equals(p.getName())).findFirst().ifPresent(r -> {
                    p.setDisplayName(r.label());
                    p.setShortDescription(r.tooltip());
                });
                shown.add(p);
            }
            return shown.toArray(PropertyDescriptor[]::new);
        } catch (IntrospectionException e) {
            return null; // the Introspector then falls back to plain reflection
        }
    }

    /** The sheet's items in the order of ROWS (the Introspector sorts properties by name); unknown ones last. */
    static List<PropertySheet.Item> ordered(List<PropertySheet.Item> items) {
        Map<String, Integer> rank = new HashMap<>();
        for (int i = 0; i < ROWS.size(); i++) rank.put(ROWS.get(i).label(), i);
        List<PropertySheet.Item> out = new ArrayList<>(items);
        out.sort(Comparator.comparingInt(item -> rank.getOrDefault(item.getName(), ROWS.size())));
        return out;
    }
}
