package io.nexusmonitor.gui.theme;

import static org.assertj.core.api.Assertions.assertThat;

import io.nexusmonitor.gui.desktop.PortalAppearance;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.freedesktop.dbus.types.UInt32;
import org.freedesktop.dbus.types.Variant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The desktop's light/dark preference from recorded gsettings answers, kdeglobals files and portal values. */
class DesktopPreferenceTest {
    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {
                "'prefer-dark'|DARK",
                "'prefer-light'|LIGHT",
                "'default'|",
                "prefer-dark|DARK",
                "No such key “color-scheme”|",
            })
    void readsGsettingsColorScheme(String output, Appearance expected) {
        assertThat(DesktopPreference.fromGsettingsColorScheme(output)).isEqualTo(Optional.ofNullable(expected));
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            value = {"Adwaita:dark|DARK", "Adwaita:light|LIGHT", "Adwaita|", "Adwaita-dark|DARK", "Yaru-dark:dark|DARK"
            })
    void readsGtkTheme(String value, Appearance expected) {
        assertThat(DesktopPreference.fromGtkTheme(value)).isEqualTo(Optional.ofNullable(expected));
    }

    @Test
    void readsKdeGlobalsSchemeName() {
        String file =
                "[General]\nColorScheme=BreezeDark\nName=Breeze Dark\n\n[KDE]\nLookAndFeelPackage=org.kde.breezedark.desktop\n";
        assertThat(DesktopPreference.fromKdeGlobals(file)).contains(Appearance.DARK);
    }

    @Test
    void readsKdeGlobalsWindowColourWhenTheSchemeNameSaysNothing() {
        String dark =
                "[General]\nColorScheme=MyScheme\n\n[Colors:Window]\nBackgroundNormal=32,35,38\nForegroundNormal=252,252,252\n";
        String light = "[General]\nColorScheme=BreezeClassic\n\n[Colors:Window]\nBackgroundNormal=239,240,241\n";
        assertThat(DesktopPreference.fromKdeGlobals(dark)).contains(Appearance.DARK);
        assertThat(DesktopPreference.fromKdeGlobals(light)).contains(Appearance.LIGHT);
        assertThat(DesktopPreference.fromKdeGlobals("[KDE]\nSingleClick=false\n"))
                .isEmpty();
    }

    @Test
    void readsPortalValuesInsideTheirVariants() {
        assertThat(PortalAppearance.fromValue(new Variant<>(new Variant<>(new UInt32(1)))))
                .contains(Appearance.DARK);
        assertThat(PortalAppearance.fromValue(new Variant<>(new UInt32(2)))).contains(Appearance.LIGHT);
        assertThat(PortalAppearance.fromValue(new Variant<>(new UInt32(0)))).isEmpty();
        assertThat(PortalAppearance.fromValue(new Variant<>("dark"))).isEmpty();
        assertThat(PortalAppearance.fromValue(null)).isEmpty();
    }

    @Test
    void gtkThemeOverridesThePortal() {
        DesktopPreference.Reading r = DesktopPreference.read(sources(
                Map.of("GTK_THEME", "Adwaita:dark"), Optional.of(Appearance.LIGHT), Map.of(), dir.resolve("none")));
        assertThat(r.appearance()).isEqualTo(Appearance.DARK);
        assertThat(r.source()).isEqualTo("GTK_THEME");
    }

    @Test
    void thePortalComesBeforeGsettings() {
        DesktopPreference.Reading r = DesktopPreference.read(sources(
                Map.of(), Optional.of(Appearance.DARK), Map.of("color-scheme", "'prefer-light'"), dir.resolve("none")));
        assertThat(r.appearance()).isEqualTo(Appearance.DARK);
    }

    @Test
    void withoutAPortalGnomeSettingsAnswerThenTheThemeName() {
        List<List<String>> asked = new ArrayList<>();
        DesktopPreference.Sources s = new DesktopPreference.Sources(
                Map.of(),
                Optional::empty,
                args -> {
                    asked.add(args);
                    return args.get(1).equals("color-scheme")
                            ? Optional.of("'default'")
                            : Optional.of("'Adwaita-dark'");
                },
                dir.resolve("none"));
        DesktopPreference.Reading r = DesktopPreference.read(s);
        assertThat(r.appearance()).isEqualTo(Appearance.DARK);
        assertThat(r.source()).isEqualTo("the GTK theme's name");
        assertThat(asked)
                .containsExactly(
                        List.of("org.gnome.desktop.interface", "color-scheme"),
                        List.of("org.gnome.desktop.interface", "gtk-theme"));
    }

    @Test
    void onKdeTheKdeglobalsFileComesBeforeGsettings() throws IOException {
        Path kde = Files.writeString(dir.resolve("kdeglobals"), "[General]\nColorScheme=BreezeDark\n");
        DesktopPreference.Reading r = DesktopPreference.read(sources(
                Map.of("XDG_CURRENT_DESKTOP", "KDE"), Optional.empty(), Map.of("color-scheme", "'prefer-light'"), kde));
        assertThat(r.appearance()).isEqualTo(Appearance.DARK);
        assertThat(r.source()).isEqualTo("KDE's colour scheme");
    }

    @Test
    void nothingReadableStatesNoPreference() {
        DesktopPreference.Reading r =
                DesktopPreference.read(sources(Map.of(), Optional.empty(), Map.of(), dir.resolve("none")));
        assertThat(r).isEqualTo(DesktopPreference.Reading.NONE);
        assertThat(ThemeChoice.SYSTEM.resolve(r.appearance())).isEqualTo(Appearance.LIGHT);
        assertThat(ThemeChoice.DARK.resolve(r.appearance())).isEqualTo(Appearance.DARK);
    }

    @Test
    void kdeglobalsLivesInTheXdgConfigHome() {
        Map<String, String> env = new HashMap<>();
        env.put("XDG_CONFIG_HOME", "/home/u/.cfg");
        assertThat(DesktopPreference.kdeglobals(env)).isEqualTo(Path.of("/home/u/.cfg/kdeglobals"));
    }

    @ParameterizedTest
    @CsvSource({"system,SYSTEM", "light,LIGHT", "DARK,DARK", "sepia,SYSTEM"})
    void savedThemeWordsComeBack(String word, ThemeChoice expected) {
        assertThat(ThemeChoice.fromWire(word)).isEqualTo(expected);
    }

    private static DesktopPreference.Sources sources(
            Map<String, String> env, Optional<Appearance> portal, Map<String, String> gsettings, Path kde) {
        return new DesktopPreference.Sources(
                env, () -> portal, args -> Optional.ofNullable(gsettings.get(args.get(1))), kde);
    }
}
