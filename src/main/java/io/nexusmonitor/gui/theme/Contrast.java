package io.nexusmonitor.gui.theme;

/** WCAG 2.x relative luminance and contrast ratio (https://www.w3.org/TR/WCAG21/#dfn-contrast-ratio). */
public final class Contrast {
    /** WCAG AA for normal-size text. */
    public static final double AA_TEXT = 4.5;

    private Contrast() {}

    /** Relative luminance of an sRGB colour, channels 0..1. */
    public static double luminance(double r, double g, double b) {
        return 0.2126 * linear(r) + 0.7152 * linear(g) + 0.0722 * linear(b);
    }

    /** The contrast ratio of two colours given as {@code 0xRRGGBB}: 1 (same) to 21 (black on white). */
    public static double ratio(int rgbA, int rgbB) {
        double a = luminance(rgbA);
        double b = luminance(rgbB);
        return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
    }

    static double luminance(int rgb) {
        return luminance(((rgb >> 16) & 0xff) / 255.0, ((rgb >> 8) & 0xff) / 255.0, (rgb & 0xff) / 255.0);
    }

    private static double linear(double c) {
        return c <= 0.03928 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
    }
}
