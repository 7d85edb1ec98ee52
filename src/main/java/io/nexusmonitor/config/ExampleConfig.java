package io.nexusmonitor.config;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/**
 * The commented example config ({@code nexus.example.toml} at the repo root, packed into the jar
 * by the build), which {@code config init} writes out. One copy, so the docs cannot drift.
 */
public final class ExampleConfig {
    public static final String RESOURCE = "/nexus.example.toml";

    private ExampleConfig() {}

    public static String text() {
        try (InputStream in = ExampleConfig.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing from this build");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
