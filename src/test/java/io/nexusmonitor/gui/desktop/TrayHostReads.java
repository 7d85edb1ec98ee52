package io.nexusmonitor.gui.desktop;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.Map;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.Variant;

/** Reads a StatusNotifierItem's properties and dbusmenu layout the way a tray host gets them over the bus. */
public final class TrayHostReads {
    private TrayHostReads() {}

    public static int centreColour(Map<String, Variant<?>> props) {
        List<?> pixmaps = (List<?>) props.get("IconPixmap").getValue();
        assertThat(pixmaps).isNotEmpty();
        Object[] first = pixmapFields(pixmaps.get(pixmaps.size() - 1));
        assertThat(props.get("IconPixmap").getSig()).isEqualTo("a(iiay)");
        int w = (Integer) first[0];
        int h = (Integer) first[1];
        byte[] data = bytes(first[2]);
        assertThat(data).hasSize(w * h * 4);
        // a point on the disc away from the white nodes and lines: a quarter in from the left, half way down
        int x = w / 6;
        int y = h / 2;
        int i = (y * w + x) * 4;
        assertThat(data[i] & 0xff).isEqualTo(0xff); // opaque
        return ((data[i + 1] & 0xff) << 16) | ((data[i + 2] & 0xff) << 8) | (data[i + 3] & 0xff);
    }

    static byte[] bytes(Object o) {
        if (o instanceof byte[] b) {
            return b;
        }
        List<?> l = (List<?>) o;
        byte[] out = new byte[l.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = (Byte) l.get(i);
        }
        return out;
    }

    static Object[] pixmapFields(Object p) {
        if (p instanceof StatusNotifierItem.Pixmap px) {
            return new Object[] {px.getWidth(), px.getHeight(), px.getData()};
        }
        return (Object[]) p;
    }

    public static String toolTipText(Map<String, Variant<?>> props) {
        assertThat(props.get("ToolTip").getSig()).isEqualTo("(sa(iiay)ss)");
        Object t = props.get("ToolTip").getValue();
        Object[] f = t instanceof Object[] a ? a : null;
        assertThat(f).as("ToolTip as (sa(iiay)ss): %s", t).isNotNull().hasSize(4);
        assertThat(f[2]).isEqualTo("Nexus Monitor");
        return (String) f[3];
    }

    public static DBusMenu.Node child(DBusMenu.Pair<UInt32, DBusMenu.Node> reply, int index) {
        Object v = reply.getSecond().getChildren().get(index).getValue();
        return asNode(v);
    }

    static DBusMenu.Node asNode(Object v) {
        if (v instanceof DBusMenu.Node n) {
            return n;
        }
        Object[] f = (Object[]) v;
        @SuppressWarnings("unchecked")
        Map<String, Variant<?>> props = (Map<String, Variant<?>>) f[1];
        @SuppressWarnings("unchecked")
        List<Variant<?>> children = (List<Variant<?>>) f[2];
        return new DBusMenu.Node((Integer) f[0], props, children);
    }

    public static List<String> labels(DBusMenu.Pair<UInt32, DBusMenu.Node> reply) {
        return reply.getSecond().getChildren().stream()
                .map(c -> asNode(c.getValue()))
                .map(n -> n.getProperties().containsKey("label")
                        ? (String) n.getProperties().get("label").getValue()
                        : "")
                .toList();
    }
}
