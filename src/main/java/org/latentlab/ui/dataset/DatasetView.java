package org.latentlab.ui.dataset;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javafx.fxml.FXML;
import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.ComboBox;
import javafx.scene.control.Label;
import javafx.scene.control.TextField;
import javafx.scene.control.Tooltip;
import javafx.scene.image.ImageView;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.FlowPane;
import javafx.scene.layout.GridPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Region;
import javafx.scene.layout.StackPane;
import javafx.scene.layout.VBox;
import javafx.scene.paint.Color;
import javafx.scene.shape.Rectangle;
import javafx.stage.DirectoryChooser;
import javafx.stage.FileChooser;
import org.latentlab.app.AppModel;
import org.latentlab.data.BuiltinDataset;
import org.latentlab.data.Channels;
import org.latentlab.data.Dataset;
import org.latentlab.data.ImageSet;
import org.latentlab.data.LoadOptions;
import org.latentlab.ui.FxmlViews;
import org.latentlab.ui.PaneView;
import org.latentlab.ui.render.ClassPalette;
import org.latentlab.ui.render.DepthScale;
import org.latentlab.ui.render.SampleImages;

/** The Dataset pane: choose a dataset, see its facts, class counts and a preview grid. */
public class DatasetView implements PaneView {
    private static final int PREVIEW_PER_CLASS = 6;
    private static final int PREVIEW_MAX = 72;

    @FXML private BorderPane root;
    @FXML private ComboBox<BuiltinDataset> builtinChoice;
    @FXML private ComboBox<String> channelsChoice;
    @FXML private TextField sizeField;
    @FXML private Label errorLabel;
    @FXML private GridPane infoGrid;
    @FXML private VBox classBars;
    @FXML private VBox depthLegendBox;
    @FXML private ImageView depthLegend;
    @FXML private Label depthMinLabel;
    @FXML private Label depthMaxLabel;
    @FXML private FlowPane previewGrid;

    private AppModel app;
    private DatasetViewModel viewModel;
    private String lastSource;
    private boolean showing;

    public static DatasetView create(AppModel app) {
        DatasetView v = FxmlViews.load(DatasetView.class);
        v.init(app);
        return v;
    }

    private void init(AppModel app) {
        this.app = app;
        this.viewModel = new DatasetViewModel(app);
        builtinChoice.getItems().setAll(BuiltinDataset.values());
        builtinChoice.setConverter(new javafx.util.StringConverter<>() {
            @Override public String toString(BuiltinDataset b) { return b == null ? "" : b.id(); }
            @Override public BuiltinDataset fromString(String s) { return BuiltinDataset.byName(s).orElse(null); }
        });
        builtinChoice.setOnAction(e -> {
            BuiltinDataset b = builtinChoice.getValue();
            if (b != null && !showing) load(b.id());
        });
        channelsChoice.getItems().setAll("native", "GRAY", "RGB", "RGBD");
        channelsChoice.setValue("native");
        viewModel.errorProperty().addListener((o, was, msg) -> {
            boolean show = msg != null && !msg.isEmpty();
            errorLabel.setText(show ? "Could not load: " + msg : "");
            errorLabel.setVisible(show);
            errorLabel.setManaged(show);
        });
        app.datasetProperty().addListener((o, was, d) -> show(d));
        depthLegend.setImage(SampleImages.depthLegend(300, 14));
        if (app.dataset() != null) show(app.dataset());
    }

    public DatasetViewModel viewModel() { return viewModel; }

    @Override public String title() { return "Dataset"; }
    @Override public Node view() { return root; }

    /** Loads a dataset by name or path with the pane's size/channel options. */
    public void load(String nameOrPath) {
        lastSource = nameOrPath;
        viewModel.load(nameOrPath, options());
    }

    LoadOptions options() {
        LoadOptions o = LoadOptions.defaults();
        String size = sizeField.getText() == null ? "" : sizeField.getText().trim();
        if (!size.isEmpty()) {
            String[] p = size.toLowerCase().split("[x×]");
            try {
                int h = Integer.parseInt(p[0].trim()), w = Integer.parseInt(p[p.length - 1].trim());
                if (h > 0 && w > 0 && h <= 1024 && w <= 1024) o = o.withSize(h, w);
            } catch (NumberFormatException ignored) {
                // keep the native size; the field shows what was typed
            }
        }
        String ch = channelsChoice.getValue();
        if (ch != null && !ch.equals("native")) o = o.withChannels(Channels.valueOf(ch));
        return o;
    }

    @FXML private void reload() {
        if (lastSource != null) load(lastSource);
    }

    @FXML private void openFile() {
        FileChooser fc = new FileChooser();
        fc.setTitle("Open dataset file (IDX, CIFAR-10 .bin, NYU .mat)");
        var f = fc.showOpenDialog(root.getScene().getWindow());
        if (f != null) load(f.getPath());
    }

    /** The folder chooser of the File menu's "Open dataset…". */
    public void openFolderDialog() { openFolder(); }

    @FXML private void openFolder() {
        DirectoryChooser dc = new DirectoryChooser();
        dc.setTitle("Open dataset folder (IDX, CIFAR-10, class folders, RGB-D pairs)");
        var f = dc.showDialog(root.getScene().getWindow());
        if (f != null) load(f.getPath());
    }

    /** Opens a path chosen elsewhere (menu). */
    public void open(Path path) { load(path.toString()); }

    private void show(Dataset d) {
        if (d == null) return;
        // showing what was loaded must not load it again
        showing = true;
        if (lastSource == null) lastSource = d.name();
        BuiltinDataset.byName(d.name()).ifPresent(b -> { if (builtinChoice.getValue() != b) builtinChoice.setValue(b); });
        showing = false;
        showInfo(d);
        showClasses(d);
        showPreview(d);
    }

    private void showInfo(Dataset d) {
        infoGrid.getChildren().clear();
        String[][] rows = {
            {"Name", d.name()}, {"Format", d.format()}, {"Source", String.valueOf(d.source())},
            {"Shape", d.channels() + "  " + d.height() + " × " + d.width()},
            {"Train", String.format("%,d images", d.train().size())},
            {"Test", String.format("%,d images", d.test().size())},
        };
        for (int r = 0; r < rows.length; r++) {
            Label k = new Label(rows[r][0]);
            k.getStyleClass().add("pane-hint");
            Label v = new Label(rows[r][1]);
            v.setWrapText(true);
            v.setTooltip(new Tooltip(rows[r][1]));
            infoGrid.addRow(r, k, v);
        }
        if (d.channels().hasDepth()) {
            float[] range = DepthScale.of(d.train().size() > 0 ? d.train() : d.test());
            depthMinLabel.setText(String.format("%.2f m", range[0]));
            depthMaxLabel.setText(String.format("%.2f m", range[1]));
            long masked = d.train().maskedDepthPixels() + d.test().maskedDepthPixels();
            infoGrid.addRow(rows.length, new Label("Depth"), new Label(String.format("%.2f – %.2f m, %,d missing pixels", range[0], range[1], masked)));
        }
        depthLegendBox.setVisible(d.channels().hasDepth());
        depthLegendBox.setManaged(d.channels().hasDepth());
    }

    private void showClasses(Dataset d) {
        classBars.getChildren().clear();
        List<String> names = d.train().classNames();
        int[] train = d.train().classCounts(), test = d.test().classCounts();
        int max = 1;
        for (int c = 0; c < names.size(); c++) max = Math.max(max, count(train, c) + count(test, c));
        for (int c = 0; c < names.size(); c++) {
            int n = count(train, c) + count(test, c);
            Rectangle swatch = new Rectangle(12, 12, ClassPalette.fx(c));
            Label name = new Label(names.get(c));
            name.setMinWidth(120);
            name.setMaxWidth(120);
            Rectangle bar = new Rectangle(Math.max(1, 140.0 * n / max), 10, ClassPalette.fx(c).deriveColor(0, 1, 1, 0.75));
            Label count = new Label(String.format("%,d", n));
            count.getStyleClass().add("metric-value");
            HBox row = new HBox(6, swatch, name, bar, count);
            row.setAlignment(Pos.CENTER_LEFT);
            classBars.getChildren().add(row);
        }
    }

    private static int count(int[] counts, int c) { return c < counts.length ? counts[c] : 0; }

    private void showPreview(Dataset d) {
        previewGrid.getChildren().clear();
        ImageSet set = d.train().size() > 0 ? d.train() : d.test();
        int scale = Math.max(1, 72 / Math.max(set.height(), set.width()));
        float[] range = set.channels().hasDepth() ? DepthScale.of(set) : null;
        for (int i : previewIndices(set)) {
            float[] s = set.sample(i);
            List<Node> parts = SampleImages.views(s, set, range, scale);
            HBox images = new HBox(2);
            images.getChildren().addAll(parts);
            Region stripe = new Region();
            stripe.setMinHeight(4);
            stripe.setStyle("-fx-background-color: " + toWeb(ClassPalette.fx(Math.max(0, set.label(i)))) + ";");
            VBox cell = new VBox(1, images, stripe);
            String cls = set.label(i) >= 0 && set.label(i) < set.classCount() ? set.classNames().get(set.label(i)) : "?";
            Tooltip.install(cell, new Tooltip("#" + i + "  " + cls));
            previewGrid.getChildren().add(new StackPane(cell));
        }
    }

    /** Up to PREVIEW_PER_CLASS samples of each class, interleaved, at most PREVIEW_MAX. */
    static int[] previewIndices(ImageSet set) {
        int classes = Math.max(1, set.classCount());
        int perClass = Math.max(PREVIEW_PER_CLASS, PREVIEW_MAX / classes);
        List<List<Integer>> byClass = new ArrayList<>();
        for (int c = 0; c < classes; c++) byClass.add(new ArrayList<>());
        for (int i = 0; i < set.size(); i++) {
            int l = Math.max(0, Math.min(classes - 1, set.label(i)));
            if (byClass.get(l).size() < perClass) byClass.get(l).add(i);
        }
        List<Integer> out = new ArrayList<>();
        for (int k = 0; k < perClass && out.size() < PREVIEW_MAX; k++) {
            for (int c = 0; c < classes && out.size() < PREVIEW_MAX; c++) {
                if (k < byClass.get(c).size()) out.add(byClass.get(c).get(k));
            }
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    private static String toWeb(Color c) {
        return String.format("#%02x%02x%02x", (int) (c.getRed() * 255), (int) (c.getGreen() * 255), (int) (c.getBlue() * 255));
    }
}
