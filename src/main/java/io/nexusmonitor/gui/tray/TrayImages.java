package io.nexusmonitor.gui.tray;

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
final class TrayImages {
    enum Mood {
        /** Every backend healthy. */
        GOOD(new Color(0x2e7d32)),
        /** Some backend not healthy. */
        MIXED(new Color(0xef6c00)),
        /** No backends, or none healthy. */
        IDLE(new Color(0x607d8b));

        final Color colour;

        Mood(Color colour) {
            this.colour = colour;
        }
    }

    private TrayImages() {
    }

    static Mood mood(long healthy, long total) {
        if (total == 0 || healthy == 0) {
            return Mood.IDLE;
        }
        return healthy == total ? Mood.GOOD : Mood.MIXED;
    }

    static BufferedImage draw(Dimension size, Mood mood) {
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
}
