package io.nexusmonitor.gui.notify;

/** Where notices go: the system tray's balloons, or a banner inside the window when there is no tray. */
public interface NoticeSink {
    void show(Notice notice);
}
