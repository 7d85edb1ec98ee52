package io.nexusmonitor.gui.window;

import io.nexusmonitor.gui.actions.BackendActions;
import io.nexusmonitor.gui.details.DetailsPane;
import io.nexusmonitor.gui.dialogs.AddBackendDialog;
import io.nexusmonitor.gui.firstrun.AnnounceDialog;
import io.nexusmonitor.gui.firstrun.DiscoveryBanner;
import io.nexusmonitor.gui.firstrun.EmptyState;
import io.nexusmonitor.gui.firstrun.NetworkCheckDialog;
import io.nexusmonitor.gui.log.EventLogPane;
import io.nexusmonitor.gui.model.BackendRow;
import io.nexusmonitor.gui.model.BackendTableModel;
import io.nexusmonitor.gui.model.RegistryBatch;
import io.nexusmonitor.gui.notify.InWindowNotices;
import io.nexusmonitor.gui.notify.Notice;
import io.nexusmonitor.gui.status.StatusBar;
import io.nexusmonitor.gui.table.BackendTable;
import io.nexusmonitor.gui.theme.ThemeChoice;
import io.nexusmonitor.registry.Backend;
import io.nexusmonitor.registry.BackendStatus;
import io.nexusmonitor.registry.WakeOnLan;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import javafx.beans.binding.Bindings;
import javafx.beans.binding.BooleanBinding;
import javafx.beans.property.ObjectProperty;
import javafx.beans.property.SimpleObjectProperty;
import javafx.collections.FXCollections;
import javafx.geometry.Orientation;
import javafx.geometry.Rectangle2D;
import javafx.scene.Node;
import javafx.scene.Parent;
import javafx.scene.control.Button;
import javafx.scene.control.CheckMenuItem;
import javafx.scene.control.ChoiceBox;
import javafx.scene.control.ContextMenu;
import javafx.scene.control.Label;
import javafx.scene.control.Menu;
import javafx.scene.control.MenuButton;
import javafx.scene.control.MenuItem;
import javafx.scene.control.RadioMenuItem;
import javafx.scene.control.SeparatorMenuItem;
import javafx.scene.control.SplitPane;
import javafx.scene.control.TableColumn;
import javafx.scene.control.TableRow;
import javafx.scene.control.TableView;
import javafx.scene.control.TextField;
import javafx.scene.control.ToggleButton;
import javafx.scene.control.ToggleGroup;
import javafx.scene.control.ToolBar;
import javafx.scene.control.Tooltip;
import javafx.scene.input.KeyCode;
import javafx.scene.input.KeyCodeCombination;
import javafx.scene.input.KeyCombination;
import javafx.scene.layout.BorderPane;
import javafx.scene.layout.HBox;
import javafx.scene.layout.Priority;
import javafx.scene.layout.Region;
import javafx.scene.layout.VBox;
import javafx.stage.Screen;
import javafx.stage.Stage;
import javafx.util.StringConverter;
import org.jspecify.annotations.Nullable;
import org.kordamp.ikonli.Ikon;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.materialdesign2.MaterialDesignC;
import org.kordamp.ikonli.materialdesign2.MaterialDesignD;
import org.kordamp.ikonli.materialdesign2.MaterialDesignE;
import org.kordamp.ikonli.materialdesign2.MaterialDesignL;
import org.kordamp.ikonli.materialdesign2.MaterialDesignM;
import org.kordamp.ikonli.materialdesign2.MaterialDesignP;
import org.kordamp.ikonli.materialdesign2.MaterialDesignR;
import org.kordamp.ikonli.materialdesign2.MaterialDesignT;
import org.kordamp.ikonli.materialdesign2.MaterialDesignW;

/**
 * The main window's view and its wiring to the controller: toolbar, notice banner, the backend
 * table beside the details pane, the event log under them, and the status bar. Actions are
 * reachable from the toolbar, the table's context menu and the keyboard:
 * Ctrl+N add, Ctrl+P pin/unpin, Delete remove, F5 check now, Ctrl+C copy URL (in the table),
 * Ctrl+D pause/resume discovery, Ctrl+F filter.
 */
public final class MainWindow {
    private final BackendTableModel model;
    private final BackendActions actions;
    private final BackendTable table;
    private final DetailsPane details = new DetailsPane();
    private final EventLogPane log = new EventLogPane();
    private final StatusBar statusBar = new StatusBar();
    private final InWindowNotices notices = new InWindowNotices();
    private final ObjectProperty<Backend> selected = new SimpleObjectProperty<>(this, "selected");
    /** Settings menu (the cog at the toolbar's end): the XDG autostart entry; the app wires it. */
    private final CheckMenuItem startAtLogin = new CheckMenuItem("Start at login");
    /** View → Theme; the app applies and saves it. */
    private final ObjectProperty<ThemeChoice> themeChoice =
            new SimpleObjectProperty<>(this, "themeChoice", ThemeChoice.SYSTEM);
    /** With no backends at all: why, and the three ways forward (in the table's place). */
    private final EmptyState emptyState;
    /** Discovery paused or unable to run: says so, with the action that fixes it. */
    private final DiscoveryBanner discoveryBanner;

    private final ToggleButton pauseDiscovery =
            new ToggleButton("Pause discovery", new FontIcon(MaterialDesignP.PAUSE));
    private final TextField filter = new TextField();
    private final SplitPane upper;
    private final SplitPane outer;
    private final BorderPane root = new BorderPane();

    public MainWindow(BackendTableModel model, BackendActions actions) {
        this.model = model;
        this.actions = actions;
        this.table = new BackendTable(model);
        this.emptyState = new EmptyState(this::showAddDialog, this::showAnnounceDialog, this::showNetworkDialog);
        this.discoveryBanner = new DiscoveryBanner(() -> pauseDiscovery.setSelected(false), this::showNetworkDialog);
        initPlaceholder();
        upper = new SplitPane(table.view(), details.view());
        outer = new SplitPane(upper, log.view());
        outer.setOrientation(Orientation.VERTICAL);
        SplitPane.setResizableWithParent(details.view(), false);
        SplitPane.setResizableWithParent(log.view(), false);
        root.setTop(new VBox(toolbar(), discoveryBanner.view(), notices.view()));
        root.setCenter(outer);
        root.setBottom(statusBar.view());
        root.getStyleClass().add("main-window");
        initSelection();
        initContextMenu();
        initKeys();
    }

    // --- view ------------------------------------------------------------------------------------

    private ToolBar toolbar() {
        BooleanBinding none = selected.isNull();
        Button add = button("add-button", "Add…", MaterialDesignP.PLUS, "Add a backend by URL (Ctrl+N)");
        add.setOnAction(e -> showAddDialog());
        Button pin =
                button("pin-button", "Pin", MaterialDesignP.PIN, "Pin: keep it even when no longer announced (Ctrl+P)");
        pin.textProperty()
                .bind(Bindings.createStringBinding(
                        () -> selected.get() != null && selected.get().pinned() ? "Unpin" : "Pin", selected));
        pin.disableProperty().bind(none);
        pin.setOnAction(e -> withSelected(actions::togglePin));
        Button remove = button(
                "remove-button", "Remove", MaterialDesignD.DELETE_OUTLINE, "Remove the selected backend (Delete)");
        remove.disableProperty().bind(none);
        remove.setOnAction(e -> withSelected(actions::remove));
        Button check = button(
                "check-button", "Check now", MaterialDesignR.REFRESH, "Health-check the selected backend now (F5)");
        check.disableProperty().bind(none);
        check.setOnAction(e -> withSelected(actions::checkNow));
        Button copy = button(
                "copy-button", "Copy URL", MaterialDesignC.CONTENT_COPY, "Copy the selected backend's URL (Ctrl+C)");
        copy.disableProperty().bind(none);
        copy.setOnAction(e -> withSelected(actions::copyUrl));
        pauseDiscovery.setId("pause-button");
        pauseDiscovery.setTooltip(
                new Tooltip("Stop acting on mDNS announcements; backends already found stay (Ctrl+D)"));
        pauseDiscovery.selectedProperty().addListener((o, was, paused) -> actions.setDiscoveryPaused(paused));

        filter.setId("filter");
        filter.setPromptText("Filter: name, URL, model…");
        filter.setPrefColumnCount(18);
        model.filterTextProperty().bind(filter.textProperty());
        ChoiceBox<BackendStatus> status = new ChoiceBox<>();
        status.setId("status-filter");
        List<BackendStatus> choices = new ArrayList<>();
        choices.add(null);
        choices.addAll(List.of(BackendStatus.values()));
        status.setItems(FXCollections.observableArrayList(choices));
        status.setConverter(new StringConverter<>() {
            @Override
            public String toString(BackendStatus s) {
                return s == null ? "All statuses" : s.wire();
            }

            @Override
            public @Nullable BackendStatus fromString(String s) {
                return s == null || s.equals("All statuses") ? null : BackendStatus.fromWire(s);
            }
        });
        status.getSelectionModel().selectFirst();
        model.statusFilterProperty().bind(status.valueProperty());
        Region spacer = new Region();
        HBox.setHgrow(spacer, Priority.ALWAYS);
        startAtLogin.setId("start-at-login");
        startAtLogin.setGraphic(new FontIcon(MaterialDesignL.LOGIN));
        MenuButton view = viewMenu();
        MenuButton settings = new MenuButton(null, new FontIcon(MaterialDesignC.COG_OUTLINE), startAtLogin);
        settings.setId("settings-menu");
        settings.setTooltip(new Tooltip("Settings"));
        return new ToolBar(
                add,
                pin,
                remove,
                check,
                copy,
                pauseDiscovery,
                spacer,
                new FontIcon(MaterialDesignM.MAGNIFY),
                filter,
                status,
                view,
                settings);
    }

    /** View: the theme (follow the desktop, light, dark) as radio items bound to {@link #themeChoice}. */
    private MenuButton viewMenu() {
        ToggleGroup group = new ToggleGroup();
        List<MenuItem> items = new ArrayList<>();
        for (ThemeChoice c : ThemeChoice.values()) {
            RadioMenuItem item = new RadioMenuItem(c.label(), new FontIcon(themeIcon(c)));
            item.setId("theme-" + c.wire());
            item.setToggleGroup(group);
            item.setUserData(c);
            item.setSelected(c == themeChoice.get());
            item.setOnAction(e -> themeChoice.set(c));
            items.add(item);
        }
        themeChoice.addListener(
                (o, was, now) -> group.getToggles().forEach(t -> t.setSelected(t.getUserData() == now)));
        Menu theme = new Menu("Theme", new FontIcon(MaterialDesignT.THEME_LIGHT_DARK));
        theme.setId("theme-menu");
        theme.getItems().addAll(items);
        MenuButton view = new MenuButton(null, new FontIcon(MaterialDesignE.EYE_OUTLINE), theme);
        view.setId("view-menu");
        view.setTooltip(new Tooltip("View"));
        return view;
    }

    private static Ikon themeIcon(ThemeChoice c) {
        return switch (c) {
            case SYSTEM -> MaterialDesignM.MONITOR;
            case LIGHT -> MaterialDesignW.WHITE_BALANCE_SUNNY;
            case DARK -> MaterialDesignW.WEATHER_NIGHT;
        };
    }

    /**
     * The table's placeholder: the first-run guide while the registry is empty, a one-liner when
     * the filter hides every backend.
     */
    private void initPlaceholder() {
        Label filteredOut = new Label("No backend matches the filter.");
        filteredOut.setId("filtered-out");
        Runnable update = () -> table.view().setPlaceholder(model.rows().isEmpty() ? emptyState.view() : filteredOut);
        model.rows().addListener((javafx.collections.ListChangeListener<BackendRow>) c -> update.run());
        update.run();
    }

    private static Button button(String id, String text, Ikon icon, String tip) {
        Button b = new Button(text, new FontIcon(icon));
        b.setId(id);
        b.setTooltip(new Tooltip(tip));
        return b;
    }

    private void initSelection() {
        TableView<BackendRow> tv = table.view();
        tv.getSelectionModel().selectedItemProperty().addListener((o, was, row) -> {
            selected.unbind();
            details.backendProperty().unbind();
            if (row == null) {
                selected.set(null);
                details.backendProperty().set(null);
            } else {
                selected.bind(row.backendProperty());
                details.backendProperty().bind(row.backendProperty());
            }
        });
    }

    private void initContextMenu() {
        table.view().setRowFactory(tv -> {
            TableRow<BackendRow> row = new TableRow<>();
            MenuItem pin = new MenuItem("Pin", new FontIcon(MaterialDesignP.PIN));
            pin.setOnAction(e -> withRow(row, actions::togglePin));
            MenuItem check = new MenuItem("Check now", new FontIcon(MaterialDesignR.REFRESH));
            check.setOnAction(e -> withRow(row, actions::checkNow));
            MenuItem copy = new MenuItem("Copy URL", new FontIcon(MaterialDesignC.CONTENT_COPY));
            copy.setOnAction(e -> withRow(row, actions::copyUrl));
            MenuItem remove = new MenuItem("Remove", new FontIcon(MaterialDesignD.DELETE_OUTLINE));
            remove.setOnAction(e -> withRow(row, actions::remove));
            MenuItem wake = new MenuItem("Wake", new FontIcon(MaterialDesignP.POWER));
            wake.setOnAction(e -> withRow(row, actions::wake));
            MenuItem wakeSettings = new MenuItem("Wake-on-LAN…", new FontIcon(MaterialDesignP.POWER_SETTINGS));
            wakeSettings.setId("menu-wake-settings");
            wakeSettings.setOnAction(e ->
                    withRow(row, b -> new io.nexusmonitor.gui.dialogs.WakeSettingsDialog(owner(), actions, b).show()));
            ContextMenu menu = new ContextMenu(pin, check, wake, wakeSettings, copy, new SeparatorMenuItem(), remove);
            menu.setOnShowing(e -> {
                pin.setText(row.getItem() != null && row.getItem().backend().pinned() ? "Unpin" : "Pin");
                wake.setDisable(row.getItem() == null
                        || WakeOnLan.effectiveMac(row.getItem().backend()) == null);
            });
            row.contextMenuProperty()
                    .bind(Bindings.when(row.emptyProperty())
                            .then((ContextMenu) null)
                            .otherwise(menu));
            return row;
        });
    }

    private void initKeys() {
        TableView<BackendRow> tv = table.view();
        KeyCombination copyKey = new KeyCodeCombination(KeyCode.C, KeyCombination.SHORTCUT_DOWN);
        tv.addEventHandler(javafx.scene.input.KeyEvent.KEY_PRESSED, e -> {
            if (e.getCode() == KeyCode.DELETE) {
                withSelected(actions::remove);
                e.consume();
            } else if (copyKey.match(e)) {
                withSelected(actions::copyUrl);
                e.consume();
            }
        });
        root.sceneProperty().addListener((o, was, scene) -> {
            if (scene == null) {
                return;
            }
            scene.getAccelerators()
                    .put(new KeyCodeCombination(KeyCode.N, KeyCombination.SHORTCUT_DOWN), this::showAddDialog);
            scene.getAccelerators()
                    .put(
                            new KeyCodeCombination(KeyCode.P, KeyCombination.SHORTCUT_DOWN),
                            () -> withSelected(actions::togglePin));
            scene.getAccelerators().put(new KeyCodeCombination(KeyCode.F5), () -> withSelected(actions::checkNow));
            scene.getAccelerators()
                    .put(
                            new KeyCodeCombination(KeyCode.D, KeyCombination.SHORTCUT_DOWN),
                            () -> pauseDiscovery.setSelected(!pauseDiscovery.isSelected()));
            scene.getAccelerators()
                    .put(new KeyCodeCombination(KeyCode.F, KeyCombination.SHORTCUT_DOWN), filter::requestFocus);
        });
    }

    private void withSelected(java.util.function.Consumer<Backend> action) {
        Backend b = selected.get();
        if (b != null) {
            action.accept(b);
        }
    }

    private static void withRow(TableRow<BackendRow> row, java.util.function.Consumer<Backend> action) {
        if (row.getItem() != null) {
            action.accept(row.getItem().backend());
        }
    }

    private void showAddDialog() {
        new AddBackendDialog(owner(), actions, model).show();
    }

    private void showAnnounceDialog() {
        new AnnounceDialog(owner()).show();
    }

    private void showNetworkDialog() {
        new NetworkCheckDialog(owner(), actions.control(), actions.worker()).show();
    }

    private javafx.stage.@Nullable Window owner() {
        return root.getScene() == null ? null : root.getScene().getWindow();
    }

    // --- feeding ---------------------------------------------------------------------------------

    public Parent root() {
        return root;
    }

    public BackendTableModel model() {
        return model;
    }

    public StatusBar statusBar() {
        return statusBar;
    }

    public InWindowNotices notices() {
        return notices;
    }

    public EventLogPane log() {
        return log;
    }

    public ToggleButton pauseDiscoveryButton() {
        return pauseDiscovery;
    }

    public CheckMenuItem startAtLoginItem() {
        return startAtLogin;
    }

    /** View → Theme: what the user chose; restored from and captured into {@code window.json}. */
    public ObjectProperty<ThemeChoice> themeChoiceProperty() {
        return themeChoice;
    }

    /** Discovery's state as the engine reports it ({@code EngineStatus.discovery()}): the banner follows it. */
    public void showDiscovery(String state) {
        discoveryBanner.show(state);
    }

    /** One batch of registry changes: rows, then the log. */
    public void apply(RegistryBatch batch) {
        model.apply(batch);
        log.append(batch);
    }

    /** The once-a-second tick: countdowns, counters, healthy/total. */
    public void tick() {
        model.tick();
        statusBar.showCounts(model.count(BackendStatus.HEALTHY), model.rows().size());
    }

    /** A refused or failed action: banner (always in the window) and a log line. */
    public void showProblem(String message) {
        notices.show(new Notice("Not done", message), true);
        log.note(message);
    }

    // --- window state ----------------------------------------------------------------------------

    /**
     * Applies a saved layout. The size is capped to the primary screen, and a position that is on
     * no screen any more (a monitor was unplugged) is dropped, so the window always opens visible.
     */
    public void restore(WindowState s, Stage stage) {
        Rectangle2D screen = Screen.getPrimary().getVisualBounds();
        double w = Math.min(s.width(), screen.getWidth());
        double h = Math.min(s.height(), screen.getHeight());
        stage.setWidth(w);
        stage.setHeight(h);
        if (s.x() != null
                && s.y() != null
                && !Screen.getScreensForRectangle(s.x(), s.y(), w, h).isEmpty()) {
            stage.setX(s.x());
            stage.setY(s.y());
        }
        stage.setMaximized(s.maximized());
        themeChoice.set(ThemeChoice.fromWire(s.theme()));
        Map<String, TableColumn<BackendRow, ?>> byId = columns();
        s.columnWidths().forEach((id, width) -> {
            TableColumn<BackendRow, ?> c = byId.get(id);
            if (c != null && width > 10) {
                c.setPrefWidth(width);
            }
        });
        table.view().getSortOrder().clear();
        for (WindowState.SortKey k : s.sort()) {
            TableColumn<BackendRow, ?> c = byId.get(k.column());
            if (c != null) {
                c.setSortType(k.ascending() ? TableColumn.SortType.ASCENDING : TableColumn.SortType.DESCENDING);
                table.view().getSortOrder().add(c);
            }
        }
        if (s.dividers().size() == 2) {
            upper.setDividerPositions(s.dividers().get(0));
            outer.setDividerPositions(s.dividers().get(1));
        }
    }

    public WindowState capture(Stage stage) {
        Map<String, Double> widths = new HashMap<>();
        for (TableColumn<BackendRow, ?> c : table.view().getColumns()) {
            widths.put(c.getId(), c.getWidth());
        }
        List<WindowState.SortKey> sort = new ArrayList<>();
        for (TableColumn<BackendRow, ?> c : table.view().getSortOrder()) {
            sort.add(new WindowState.SortKey(c.getId(), c.getSortType() == TableColumn.SortType.ASCENDING));
        }
        boolean max = stage.isMaximized();
        return new WindowState(
                stage.getX(),
                stage.getY(),
                stage.getWidth(),
                stage.getHeight(),
                max,
                widths,
                sort,
                List.of(upper.getDividerPositions()[0], outer.getDividerPositions()[0]),
                themeChoice.get().wire());
    }

    private Map<String, TableColumn<BackendRow, ?>> columns() {
        Map<String, TableColumn<BackendRow, ?>> m = new HashMap<>();
        for (TableColumn<BackendRow, ?> c : table.view().getColumns()) {
            m.put(Objects.requireNonNull(c.getId()), c);
        }
        return m;
    }

    /**
     * Adds what the gateway measured: the table's Activity column (heartbeat strip and tokens/s
     * sparkline), a Models tab beside the backends, and charts in the details pane.
     */
    public void showTelemetry(io.nexusmonitor.gui.stats.TelemetryFeed feed) {
        table.view()
                .getColumns()
                .add(
                        Math.min(2, table.view().getColumns().size()),
                        io.nexusmonitor.gui.stats.ActivityColumn.create(feed));
        javafx.scene.control.TabPane tabs = new javafx.scene.control.TabPane();
        tabs.setId("main-tabs");
        tabs.setTabClosingPolicy(javafx.scene.control.TabPane.TabClosingPolicy.UNAVAILABLE);
        upper.getItems().set(0, tabs);
        tabs.getTabs()
                .addAll(
                        new javafx.scene.control.Tab("Backends", table.view()),
                        new javafx.scene.control.Tab("Models", new io.nexusmonitor.gui.stats.ModelsView(feed).view()));
        details.showCharts(new io.nexusmonitor.gui.details.PerformanceCharts(feed));
    }

    /** For tests and the bench: the table node. */
    public Node tableNode() {
        return table.view();
    }
}
