package io.nexusmonitor.gui.desktop;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Dimension;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;

/**
 * The tray icon, drawn rather than loaded so it is crisp at whatever size the tray asks for: three
 * linked nodes (a network) on a disc whose colour says how the backends are doing.
 */
public final class TrayImages {
    /** The colour of the disc, by how the backends are doing ({@link TrayState#mood()}). */
    public enum Mood {
        /** Every backend healthy. */
        GOOD(new Color(0x2e7d32)),
        /** Some backend not healthy. */
        MIXED(new Color(0xef6c00)),
        /** No backends, or none healthy. */
        IDLE(new Color(0x607d8b));

        private final Color colour;

        Mood(Color colour) {
            this.colour = colour;
        }

        /** The disc's colour as {@code 0xRRGGBB}. */
        public int rgb() {
            return colour.getRGB() & 0xffffff;
        }
    }

    private TrayImages() {}

    /** The icon at {@code size} (at least 16 pixels a side). */
    public static BufferedImage draw(Dimension size, Mood mood) {
        int s = Math.max(16, Math.min(size.width, size.height));
        BufferedImage img = new BufferedImage(s, s, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(mood.colour);
            g.fillOval(1, 1, s - 2, s - 2);
            g.setColor(Color.WHITE);
            g.setStroke(new BasicStroke(Math.max(1.5f, s / 14f)));
            int[][] nodes = {{s / 2, s * 3 / 10}, {s * 3 / 10, s * 13 / 20}, {s * 7 / 10, s * 13 / 20}};
            for (int i = 0; i < nodes.length; i++) {
                int[] a = nodes[i];
                int[] b = nodes[(i + 1) % nodes.length];
                g.drawLine(a[0], a[1], b[0], b[1]);
            }
            int r = Math.max(2, s / 9);
            for (int[] n : nodes) {
                g.fillOval(n[0] - r, n[1] - r, 2 * r, 2 * r);
            }
        } finally {
            g.dispose();
        }
        return img;
    }

    /**
     * The icon as a StatusNotifierItem pixmap's data: ARGB32, one int per pixel in network byte
     * order (big-endian), row by row, {@code size * size * 4} bytes.
     */
    public static byte[] argb32(int size, Mood mood) {
        BufferedImage img = draw(new Dimension(size, size), mood);
        int s = img.getWidth();
        byte[] out = new byte[s * s * 4];
        int i = 0;
        for (int y = 0; y < s; y++) {
            for (int x = 0; x < s; x++) {
                int p = img.getRGB(x, y);
                out[i++] = (byte) (p >>> 24);
                out[i++] = (byte) (p >>> 16);
                out[i++] = (byte) (p >>> 8);
                out[i++] = (byte) p;
            }
        }
        return out;
    }
}
