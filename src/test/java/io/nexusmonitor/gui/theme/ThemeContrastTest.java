package io.nexusmonitor.gui.theme;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.assertj.core.api.SoftAssertions;
import org.junit.jupiter.api.Test;

/**
 * Every status colour of app.css reads with WCAG AA contrast (4.5:1) on every background a table
 * row has in its theme: the plain row, the striped row and the selected row (AtlantaFX Primer's
 * {@code -color-bg-default}, {@code -color-bg-subtle}, and the selection's base colour). Colours
 * are read from the stylesheets themselves, so a change to either is checked.
 */
class ThemeContrastTest {
    private static final Pattern VAR = Pattern.compile("(-[a-z0-9-]+):\\s*(#[0-9a-fA-F]{6})\\s*;");

    @Test
    void statusColoursMeetAaOnEveryRowBackgroundInBothThemes() throws IOException {
        String app = read(Themes.STYLESHEET);
        Map<String, Integer> light = vars(block(app, ".root {"));
        Map<String, Integer> dark = new LinkedHashMap<>(light);
        dark.putAll(vars(block(app, ".root:dark {")));
        Map<String, Integer> primerLight = vars(read("/atlantafx/base/theme/primer-light.css"));
        Map<String, Integer> primerDark = vars(read("/atlantafx/base/theme/primer-dark.css"));

        SoftAssertions soft = new SoftAssertions();
        check(soft, "light", light, primerLight, "-color-base-1");
        check(soft, "dark", dark, primerDark, "-color-base-6");
        soft.assertAll();
    }

    @Test
    void theDarkPaletteNamesEveryStatusColour() throws IOException {
        String app = read(Themes.STYLESHEET);
        assertThat(vars(block(app, ".root:dark {")).keySet())
                .containsAll(statusColours(vars(block(app, ".root {"))).keySet());
    }

    private static void check(
            SoftAssertions soft, String theme, Map<String, Integer> app, Map<String, Integer> primer, String selected) {
        Map<String, Integer> backgrounds = new LinkedHashMap<>();
        backgrounds.put("row", primer.get("-color-bg-default"));
        backgrounds.put("striped row", primer.get("-color-bg-subtle"));
        backgrounds.put("selected row", primer.get(selected));
        Map<String, Integer> colours = statusColours(app);
        assertThat(colours).hasSizeGreaterThanOrEqualTo(7);
        colours.forEach((name, fg) -> backgrounds.forEach((where, bg) -> {
            double ratio = Contrast.ratio(fg, Objects.requireNonNull(bg, where));
            soft.assertThat(ratio)
                    .as("%s theme: %s #%06x on the %s #%06x", theme, name, fg, where, bg)
                    .isGreaterThanOrEqualTo(Contrast.AA_TEXT);
        }));
    }

    private static Map<String, Integer> statusColours(Map<String, Integer> vars) {
        Map<String, Integer> out = new LinkedHashMap<>();
        vars.forEach((k, v) -> {
            if (k.startsWith("-nm-")) {
                out.put(k, v);
            }
        });
        return out;
    }

    private static String block(String css, String opening) {
        int start = css.indexOf(opening);
        assertThat(start).as("app.css has a block %s", opening).isGreaterThanOrEqualTo(0);
        return css.substring(start, css.indexOf('}', start));
    }

    private static Map<String, Integer> vars(String css) {
        Map<String, Integer> out = new LinkedHashMap<>();
        Matcher m = VAR.matcher(css);
        while (m.find()) {
            out.putIfAbsent(m.group(1), Integer.parseInt(m.group(2).substring(1), 16));
        }
        return out;
    }

    private static String read(String resource) throws IOException {
        try (InputStream in = Objects.requireNonNull(ThemeContrastTest.class.getResourceAsStream(resource), resource)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void contrastRatioMatchesWcagReferenceValues() {
        assertThat(Contrast.ratio(0x000000, 0xffffff)).isCloseTo(21.0, org.assertj.core.data.Offset.offset(0.01));
        assertThat(Contrast.ratio(0x777777, 0xffffff)).isCloseTo(4.48, org.assertj.core.data.Offset.offset(0.01));
        assertThat(Contrast.ratio(0x336699, 0x336699)).isEqualTo(1.0);
    }
}
