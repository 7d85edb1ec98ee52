#!/usr/bin/env bash
# Builds the Linux packages into target/jpackage/:
#   runtime/          a Java runtime trimmed by jlink to the modules the app uses, JavaFX included
#   nexus-monitor/    the app image (bin/nexus-monitor launcher, lib/runtime, lib/app)
#   nexus-monitor_<version>_amd64.deb
#   with a JDK 17 to 24 runtime (AppCDS):
#   nexus-monitor/lib/app/nexus-monitor.classlist  the classes a headless start loads (shipped)
#   nexus-monitor/lib/app/nexus-monitor.jsa        with --image-archive: their class-data archive,
#                                                  valid only while the image stays where it was built
#   with a JDK 25+ runtime (AOT cache, JEP 483/514):
#   nexus-monitor/lib/app/nexus-monitor.aot        the AOT cache of a headless start (shipped: JDK 25
#                                                  accepts it wherever the image is copied)
#
# Usage: jpackage/build.sh [--app-image-only] [--image-archive]
#   JAVA_HOME    the JDK that runs Maven (default: the one javac on PATH belongs to); the classes are
#                compiled with --release 17 whatever it is, so the jar keeps running on Java 17
#   RUNTIME_JDK  the JDK whose jlink, jpackage and runtime go into the packages (default: JAVA_HOME;
#                the packages ship JDK 17's, measured against 25 in jpackage/README.md, "Runtime")
# Needs: a JDK 17+ for the runtime with its jmods (Debian/Ubuntu: openjdk-17-jdk-headless has them)
#        or one whose jlink links from its run-time image (JEP 493: Temurin 25, whose jlink --help
#        says "Linking from run-time image enabled"), Maven,
#        strip (binutils), curl (the training start that records the class list or AOT cache),
#        and for the .deb: dpkg-deb and fakeroot (apt-get install fakeroot).
set -euo pipefail
cd "$(dirname "$0")/.."

deb=true
image_archive=false
for arg in "$@"; do
  case "$arg" in
    --app-image-only) deb=false ;;
    --image-archive) image_archive=true ;;
    *) echo "usage: jpackage/build.sh [--app-image-only] [--image-archive]" >&2; exit 2 ;;
  esac
done

JAVA_HOME="${JAVA_HOME:-$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")}"
export JAVA_HOME
fail() { echo "jpackage/build.sh: $*" >&2; exit 1; }
jdk=${RUNTIME_JDK:-$JAVA_HOME}
command -v strip >/dev/null || fail "strip (binutils) not found"
command -v curl >/dev/null || fail "curl not found: the training start polls /health with it"
for tool in jlink jpackage jdeps jmod jar java; do
  [[ -x "$jdk/bin/$tool" ]] || fail "$jdk/bin/$tool not found: set RUNTIME_JDK (or JAVA_HOME) to a JDK 17+"
done
feature=$(sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$jdk/release")
[[ -n "$feature" ]] && (( feature >= 17 )) || fail "$jdk is not a JDK 17+ (no JAVA_VERSION in $jdk/release)"
# where jlink takes the JDK's own modules from: its jmods, or (JEP 493, JDK 24+ built with
# --enable-linkable-runtime, such as Temurin 25, which ships no jmods) the JDK's run-time image,
# which jlink reads by itself when java.base is not on the module path
if [[ -f "$jdk/jmods/java.base.jmod" ]]; then
  jdk_modules="$jdk/jmods:"
  linked_from="its jmods"
elif "$jdk/bin/jlink" --help 2>&1 | grep -q 'Linking from run-time image enabled'; then
  jdk_modules=""
  linked_from="its run-time image"
else
  fail "no jmods in $jdk/jmods and its jlink cannot link from the run-time image: install the full JDK (e.g. openjdk-17-jdk-headless)"
fi
# Java 25's AOT cache (JEP 483, made in one training run with JEP 514's -XX:AOTCacheOutput) holds
# what AppCDS holds plus the classes already linked and the start's method profiles, and JDK 25
# accepts it where the image is copied (it matches the class path by its longest common prefix),
# so it ships in the image and the .deb; before 25 the AppCDS archive from the class list
aot_cache=false
(( feature >= 25 )) && aot_cache=true
if $deb; then
  command -v dpkg-deb >/dev/null && command -v fakeroot >/dev/null || fail "the .deb needs dpkg-deb and fakeroot"
fi

version=$(sed -n 's:^  <version>\(.*\)</version>$:\1:p' pom.xml | head -1)
out=target/jpackage
rm -rf "$out"
mkdir -p "$out/deps" "$out/input" "$out/fxjmods"

echo "== building the jar and collecting runtime dependencies"
mvn -q -B -DskipTests package
mvn -q -B org.apache.maven.plugins:maven-dependency-plugin:3.8.1:copy-dependencies \
  -DincludeScope=runtime -DoutputDirectory="$out/deps"

# JavaFX goes into the runtime as modules with its native libraries in lib/ (as in a JDK with
# JavaFX), so the app runs in JavaFX's supported configuration and extracts nothing at start.
# Maven Central has JavaFX only as jars (natives inside), so turn each into a jmod.
echo "== JavaFX jars -> jmods"
fxmods=""
for jar in "$out"/deps/javafx-*-linux.jar; do
  module="javafx.$(basename "$jar" | sed -E 's/^javafx-([a-z]+)-.*/\1/')"
  fxversion=$(basename "$jar" | sed -E 's/^javafx-[a-z]+-(.*)-linux\.jar$/\1/')
  work="$out/fx/$module"
  mkdir -p "$work/classes" "$work/lib"
  abs=$(realpath "$jar")
  (cd "$work/classes" && "$jdk/bin/jar" xf "$abs")
  find "$work/classes" -maxdepth 1 -name '*.so' -exec mv {} "$work/lib/" \;
  rm -rf "$work/classes/META-INF" "$work/classes/javafx-swt.jar"
  libs=()
  [[ -n "$(ls -A "$work/lib")" ]] && libs=(--libs "$work/lib")
  "$jdk/bin/jmod" create --class-path "$work/classes" "${libs[@]}" --module-version "$fxversion" \
    "$out/fxjmods/$module.jmod"
  fxmods+="$jar:"
done

echo "== checking jpackage/modules.txt against jdeps"
cp=$(find "$out/deps" -name '*.jar' ! -name 'javafx-*' | sort | tr '\n' ':')
found=$("$jdk/bin/jdeps" --multi-release 17 --ignore-missing-deps --print-module-deps \
  --module-path "$fxmods" --class-path "$cp" target/classes)
listed=$(grep -v '^#' jpackage/modules.txt | sed 's/#.*//' | xargs | tr ' ' ',')
[[ "$found" == "$listed" ]] || fail "jdeps finds $found but jpackage/modules.txt lists $listed: update the file"
extra=$(grep -v '^#' jpackage/extra-modules.txt | sed 's/#.*//' | xargs | tr ' ' ',')

echo "== jlink from $jdk (Java $feature, $linked_from): $listed,$extra"
# no --generate-cds-archive: the launcher maps the app's own archive or AOT cache (below), which
# holds the JDK classes a start needs too; the JVM never falls back to the runtime's default
# archive when the named one is missing, so that one (12 MB) would go unused.
# --compress=2 is zip-6 in the JDK 21+ syntax (which warns that 2 is deprecated)
compress=2
(( feature >= 21 )) && compress=zip-6
"$jdk/bin/jlink" --module-path "$jdk_modules$out/fxjmods" --add-modules "$listed,$extra" \
  --strip-debug --no-header-files --no-man-pages --compress=$compress --output "$out/runtime"
# Debian's libjvm.so and JavaFX's libraries keep their full symbol tables (4 MB): drop what linking
# does not need, which only costs symbol names in the native frames of a JVM crash report
find "$out/runtime" -name '*.so' -exec strip --strip-unneeded {} +

echo "== app image"
# the app's own classes as a plain jar (the shaded jar would carry JavaFX and every library twice)
printf 'Implementation-Title: Nexus Monitor\nImplementation-Version: %s\n' "$version" > "$out/manifest.txt"
"$jdk/bin/jar" --create --file "$out/input/nexus-monitor-$version.jar" --manifest "$out/manifest.txt" \
  --main-class io.nexusmonitor.cli.Main -C target/classes .
find "$out/deps" -name '*.jar' ! -name 'javafx-*' -exec cp {} "$out/input/" \;
mkdir -p "$out/input/icons" "$out/input/systemd"
cp resources/icons/nexus-monitor-*.png resources/icons/nexus-monitor.svg "$out/input/icons/"
cp jpackage/nexus-monitor.service "$out/input/systemd/"
cp jpackage/nexus-monitor.desktop "$out/input/"
description="Finds LLM servers on the LAN by mDNS, health-checks them, shows them live and serves them as an OpenAI-compatible gateway."
# Application class-data sharing (AppCDS): the launcher maps nexus-monitor.jsa, an archive of the
# ~4300 classes a start loads, already parsed and verified, which halves the CPU a start needs (most
# of it was loading and verifying classes from the jars, and the JIT). Java 17 binds an archive to
# the absolute paths of the jars, so it is made where the image lives: below for this image, by
# the .deb's postinst for /opt/nexus-monitor. A missing or mismatched archive is ignored by the JVM
# (-Xshare:auto, the default): the app starts as it would without it.
# On Java 25 the AOT cache takes the archive's place (nexus-monitor.aot, trained below).
# memory settings for a small long-running app (jvm-options.conf, plus its java_options_25 line on
# a JDK 25+ runtime; measured in jpackage/README.md);
# the add-exports lets the window set its WM_CLASS (nexus-monitor, the .desktop's StartupWMClass)
# where JavaFX is a named module of the runtime, so docks group the window with its launcher
jvm_options=()
for o in $(sed -n 's/^java_options=//p' jpackage/jvm-options.conf); do
  jvm_options+=(--java-options "$o")
done
(( ${#jvm_options[@]} > 0 )) || fail "no java_options line in jpackage/jvm-options.conf"
if $aot_cache; then
  for o in $(sed -n 's/^java_options_25=//p' jpackage/jvm-options.conf); do
    jvm_options+=(--java-options "$o")
  done
  class_data=(--java-options '-XX:AOTCache=$APPDIR/nexus-monitor.aot')
else
  class_data=(--java-options '-XX:SharedArchiveFile=$APPDIR/nexus-monitor.jsa')
fi
"$jdk/bin/jpackage" --type app-image --name nexus-monitor --app-version "$version" \
  --vendor "Nexus Monitor" --description "$description" \
  --input "$out/input" --main-jar "nexus-monitor-$version.jar" --main-class io.nexusmonitor.cli.Main \
  --runtime-image "$out/runtime" --icon resources/icons/nexus-monitor-256.png \
  "${class_data[@]}" "${jvm_options[@]}" \
  --java-options '--add-exports=javafx.graphics/com.sun.glass.ui=ALL-UNNAMED' \
  --dest "$out"
image="$out/nexus-monitor"

# The training start: a headless start to the first /health answer, then SIGTERM; on loopback,
# without discovery, with an empty config and a throwaway state dir; port 0 so it cannot collide
# with a running instance. Before Java 25 it records the class list; on 25 it writes the AOT cache
# (-XX:AOTCacheOutput: at exit the JVM writes what it recorded and a second JVM it starts makes
# the cache, ~10 s). The JVM refuses AOTCacheOutput next to the launcher's own -XX:AOTCache, so for
# this one start the launcher's configuration goes without that line, and is put back after.
train=$(mktemp -d)
cfg="$image/lib/app/nexus-monitor.cfg"
if $aot_cache; then
  echo "== AOT cache: $(printf '%s\n' "${jvm_options[@]}" | grep -v '^--java-options$' | xargs)"
  cp "$cfg" "$train/cfg"
  grep -v -- '-XX:AOTCache=' "$train/cfg" >"$cfg"
  training_options="-XX:AOTCacheOutput=$image/lib/app/nexus-monitor.aot"
else
  echo "== class list"
  training_options="-XX:DumpLoadedClassList=$image/lib/app/nexus-monitor.classlist"
fi
JAVA_TOOL_OPTIONS="$training_options" \
  "$image/bin/nexus-monitor" --no-gui --no-discovery --port 0 --state-dir "$train" -c /dev/null \
  >"$train/log" 2>&1 &
pid=$!
url=""
for ((i = 0; i < 6000; i++)); do
  kill -0 "$pid" 2>/dev/null || { cat "$train/log" >&2; fail "the training start exited early"; }
  url=${url:-$(sed -n 's|.*HTTP API listening on \(http://127.0.0.1:[0-9]*\).*|\1|p' "$train/log")}
  [[ -n "$url" ]] && curl -fsS -o /dev/null "$url/health" 2>/dev/null && break
  sleep 0.01
done
[[ -n "$url" ]] || { kill -TERM "$pid"; fail "the training start did not answer /health within 60 s"; }
kill -TERM "$pid"
wait "$pid" || { cat "$train/log" >&2; fail "the training start did not stop cleanly"; }
if $aot_cache; then
  cp "$train/cfg" "$cfg"
  grep -q -- '-XX:AOTCache=$APPDIR/nexus-monitor.aot' "$cfg" || fail "the launcher lost its -XX:AOTCache option"
  [[ -s "$image/lib/app/nexus-monitor.aot" ]] || { cat "$train/log" >&2; fail "the training start wrote no AOT cache"; }
  # the launcher must map it: with -XX:AOTMode=on a JVM that cannot use the cache does not start
  JAVA_TOOL_OPTIONS="-XX:AOTMode=on" "$image/bin/nexus-monitor" --version >"$train/check" 2>&1 \
    || { cat "$train/check" >&2; fail "the launcher cannot use the AOT cache"; }
  echo "$(du -h "$image/lib/app/nexus-monitor.aot" | cut -f1) AOT cache"
else
  echo "$(grep -vc '^#' "$image/lib/app/nexus-monitor.classlist") classes"
fi
rm -rf "$train"

if $deb; then
  echo "== .deb"
  # no icon or menu-shortcut options here: they switch on jpackage's xdg-desktop-menu integration (and an
  # xdg-utils dependency); our postinst installs the desktop entry and icons itself
  # --linux-app-release 1: JDK 17's jpackage defaults to it (Version 0.1.0-1), JDK 25's to none (0.1.0)
  "$jdk/bin/jpackage" --type deb --app-image "$out/nexus-monitor" --name nexus-monitor \
    --app-version "$version" --linux-app-release 1 --vendor "Nexus Monitor" --description "$description" \
    --linux-package-name nexus-monitor --linux-deb-maintainer "nexus-monitor@localhost" \
    --linux-app-category net --resource-dir jpackage/resources --dest "$out"
  # jpackage's archive lists ./opt/ itself, which makes dpkg treat the package as the owner of /opt
  # (`dpkg -S /opt`) and delete /opt on removal when nothing else is in it; Debian's base system
  # does not list /opt in any package. Rewrite the data archive without that one entry (the
  # preinst makes /opt if it is missing), everything else byte for byte as jpackage made it.
  echo "== .deb: owning /opt/nexus-monitor only"
  debfile=$(realpath "$(ls "$out"/nexus-monitor_*.deb)")
  dw=$(mktemp -d)
  (cd "$dw" && ar x "$debfile")
  data=$(cd "$dw" && ls data.tar.*)
  control=$(cd "$dw" && ls control.tar.*)
  mkdir "$dw/root"
  tar -xf "$dw/$data" -C "$dw/root"
  tar -tf "$dw/$data" | grep -vx './opt/' >"$dw/list"
  (cd "$dw/root" && tar --no-recursion --numeric-owner --owner=0 --group=0 -cJf "$dw/data.tar.xz" -T "$dw/list")
  rm -f "$debfile"
  (cd "$dw" && ar rc "$debfile" debian-binary "$control" data.tar.xz)
  rm -rf "$dw"
  if dpkg-deb -c "$debfile" | awk '{print $6}' | grep -qx './opt/'; then fail "the .deb still lists ./opt/"; fi
fi

# The archive is bound to the jars' absolute paths, so one made here is useless once the image is
# copied elsewhere (what app images are for) and would add 31 MB to every copy: by default the image
# ships only the class list, and the archive is made where the app lives (the .deb's postinst, or
# the one-line command in the README). --image-archive makes it here, after the .deb, which must
# not carry an archive bound to this directory.
if $image_archive && $aot_cache; then
  echo "== --image-archive: nothing to do, the image carries its AOT cache (Java $feature)"
elif $image_archive; then
  echo "== class-data archive for $image"
  JAVA_TOOL_OPTIONS="-Xshare:dump -XX:SharedClassListFile=$image/lib/app/nexus-monitor.classlist" \
    "$image/bin/nexus-monitor" >"$out/cds-dump.log" 2>&1 || { cat "$out/cds-dump.log" >&2; fail "the class-data dump failed"; }
  [[ -s "$image/lib/app/nexus-monitor.jsa" ]] || fail "no $image/lib/app/nexus-monitor.jsa (see $out/cds-dump.log)"
fi

echo "== done"
du -sh "$out/nexus-monitor"
$deb && du -sh "$out"/*.deb
