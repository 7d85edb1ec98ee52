package io.nexusmonitor.gui.firstrun;

import javafx.geometry.Pos;
import javafx.scene.Node;
import javafx.scene.control.Button;
import javafx.scene.control.Label;
import javafx.scene.layout.HBox;
import javafx.scene.layout.VBox;
import org.kordamp.ikonli.Ikon;
import org.kordamp.ikonli.javafx.FontIcon;
import org.kordamp.ikonli.materialdesign2.MaterialDesignB;
import org.kordamp.ikonli.materialdesign2.MaterialDesignL;
import org.kordamp.ikonli.materialdesign2.MaterialDesignR;
import org.kordamp.ikonli.materialdesign2.MaterialDesignS;

/**
 * What the table shows while there are no backends at all: two lines on why (nothing has been
 * added, and nothing on the LAN has announced an LLM server yet; most servers do not announce
 * themselves) and the three ways forward.
 */
public final class EmptyState {
    static final String WHY = "No LLM servers yet.";
    static final String EXPLAIN = "Servers appear here when they announce themselves on the LAN by mDNS, which most"
            + " (Ollama, vLLM, llama.cpp) do not do on their own, or when you add one by URL.";

    private final VBox view = new VBox(12);

    public EmptyState(Runnable addByUrl, Runnable announce, Runnable checkNetwork) {
        FontIcon icon = new FontIcon(MaterialDesignR.RADAR);
        icon.getStyleClass().add("empty-icon");
        Label why = new Label(WHY);
        why.setId("empty-why");
        why.getStyleClass().add("empty-title");
        Label explain = new Label(EXPLAIN);
        explain.setId("empty-explain");
        explain.getStyleClass().add("empty-explain");
        explain.setWrapText(true);
        explain.setMaxWidth(560);
        HBox ways = new HBox(
                8,
                button("empty-add", "Add a server by URL", MaterialDesignS.SERVER_PLUS, addByUrl),
                button(
                        "empty-announce",
                        "Announce a server on this machine",
                        MaterialDesignB.BULLHORN_OUTLINE,
                        announce),
                button("empty-network", "Check the network", MaterialDesignL.LAN, checkNetwork));
        ways.setAlignment(Pos.CENTER);
        view.getChildren().addAll(icon, why, explain, ways);
        view.setAlignment(Pos.CENTER);
        view.setId("empty-state");
        view.getStyleClass().add("empty-state");
    }

    private static Button button(String id, String text, Ikon icon, Runnable action) {
        Button b = new Button(text, new FontIcon(icon));
        b.setId(id);
        b.setOnAction(e -> action.run());
        return b;
    }

    public Node view() {
        return view;
    }
}
