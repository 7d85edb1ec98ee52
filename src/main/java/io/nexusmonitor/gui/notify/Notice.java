package io.nexusmonitor.gui.notify;

/** One notification as the user sees it: a short title ("5 backends found") and a body with names. */
public record Notice(String title, String body) {
}
