package io.nexusmonitor.gui.table;

import io.nexusmonitor.registry.BackendStatus;
import org.kordamp.ikonli.Ikon;
import org.kordamp.ikonli.materialdesign2.MaterialDesignA;
import org.kordamp.ikonli.materialdesign2.MaterialDesignC;
import org.kordamp.ikonli.materialdesign2.MaterialDesignH;
import org.kordamp.ikonli.materialdesign2.MaterialDesignP;
import org.kordamp.ikonli.materialdesign2.MaterialDesignS;
import org.kordamp.ikonli.materialdesign2.MaterialDesignT;

/** One glyph per status; the colour comes from CSS ({@code .status-healthy} ...). */
public final class StatusIcons {
    private StatusIcons() {}

    public static Ikon icon(BackendStatus s) {
        return switch (s) {
            case HEALTHY -> MaterialDesignC.CHECK_CIRCLE;
            case LOADING -> MaterialDesignT.TIMER_SAND;
            case UNHEALTHY -> MaterialDesignA.ALERT_CIRCLE;
            case UNKNOWN -> MaterialDesignH.HELP_CIRCLE_OUTLINE;
            case DRAINING -> MaterialDesignP.PAUSE_CIRCLE_OUTLINE;
            case ASLEEP -> MaterialDesignS.SLEEP;
        };
    }

    /** The CSS class a cell, icon or label takes for this status. */
    public static String styleClass(BackendStatus s) {
        return "status-" + s.wire();
    }
}
