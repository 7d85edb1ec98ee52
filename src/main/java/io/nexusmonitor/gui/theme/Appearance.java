package io.nexusmonitor.gui.theme;

/** How the window looks: the two palettes the theme has. */
public enum Appearance {
    /** Dark text on light backgrounds (AtlantaFX Primer Light). */
    LIGHT,
    /** Light text on dark backgrounds (AtlantaFX Primer Dark). */
    DARK
}
