package io.nexusmonitor.gui.theme;

import atlantafx.base.theme.PrimerDark;
import atlantafx.base.theme.PrimerLight;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import javafx.application.Application;
import javafx.beans.property.ReadOnlyObjectProperty;
import javafx.beans.property.ReadOnlyObjectWrapper;
import javafx.css.PseudoClass;
import javafx.scene.Parent;

/**
 * Puts the AtlantaFX theme (Primer Light or Primer Dark) on the whole application and our own
 * stylesheet on each scene root that asks ({@link #style}): the window's and every dialog's. The
 * app's status colours ({@code -nm-healthy} ...) switch with the {@code :dark} pseudo-class set on
 * those roots. FX thread only; the user-agent stylesheet is global to JavaFX, so this is too.
 */
public final class Themes {
    /** The app's own rules (status colours, banners, the empty state), on top of the theme. */
    public static final String STYLESHEET = "/io/nexusmonitor/gui/app.css";

    private static final PseudoClass DARK = PseudoClass.getPseudoClass("dark");
    private static final ReadOnlyObjectWrapper<Appearance> APPEARANCE = new ReadOnlyObjectWrapper<>();
    private static final List<WeakReference<Parent>> ROOTS = new ArrayList<>();

    private Themes() {}

    /** Shows {@code a} everywhere: the theme for every control, the palette on every styled root. */
    public static void apply(Appearance a) {
        Objects.requireNonNull(a);
        if (a == APPEARANCE.get()) {
            return;
        }
        Application.setUserAgentStylesheet(
                a == Appearance.DARK
                        ? new PrimerDark().getUserAgentStylesheet()
                        : new PrimerLight().getUserAgentStylesheet());
        APPEARANCE.set(a);
        ROOTS.removeIf(r -> r.get() == null);
        for (WeakReference<Parent> r : ROOTS) {
            Parent p = r.get();
            if (p != null) {
                p.pseudoClassStateChanged(DARK, a == Appearance.DARK);
            }
        }
    }

    /** The appearance shown now; null before the first {@link #apply}. */
    public static ReadOnlyObjectProperty<Appearance> appearance() {
        return APPEARANCE.getReadOnlyProperty();
    }

    /**
     * Gives a scene root the app's stylesheet and the current palette, and keeps it following
     * later changes (held weakly: a closed dialog is not kept alive).
     */
    public static void style(Parent root) {
        String css =
                Objects.requireNonNull(Themes.class.getResource(STYLESHEET)).toExternalForm();
        if (!root.getStylesheets().contains(css)) {
            root.getStylesheets().add(css);
        }
        if (APPEARANCE.get() == null) {
            apply(Appearance.LIGHT);
        }
        root.pseudoClassStateChanged(DARK, APPEARANCE.get() == Appearance.DARK);
        ROOTS.add(new WeakReference<>(root));
    }

    /** Whether a styled root shows the dark palette now; for tests. */
    public static boolean isDark(Parent root) {
        return root.getPseudoClassStates().contains(DARK);
    }
}
