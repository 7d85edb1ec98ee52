# Shared by the bench/ scripts: how they build the code and find its classpath (one rule for all).
# Source it after `cd` to the repository root. Maven runs offline first (fast, and nothing is
# fetched when the local repository has it all); on a fresh machine, where a plugin or a test
# dependency is not in the local repository yet, the same goal runs once more online.

# mvn_quiet GOAL... : `mvn -q GOAL...`, offline first, then online
mvn_quiet() {
  mvn -q -o "$@" >/dev/null 2>&1 || mvn -q "$@"
}

# bench_classpath: compiles the main and test code (lint off: a bench needs no Error Prone pass)
# and prints the classpath (absolute paths) that runs the test tree's benches
bench_classpath() {
  local cp_file=target/bench-classpath.txt
  mvn_quiet test-compile -DskipLint
  mvn_quiet dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile="$cp_file"
  printf '%s' "$PWD/target/test-classes:$PWD/target/classes:$(cat "$cp_file")"
}

# bench_work: a fresh directory in $work and an empty list $pids of processes the script starts;
# on exit every process in $pids is stopped and $work removed
bench_work() {
  work=$(mktemp -d)
  pids=()
  trap bench_cleanup EXIT
}

bench_cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait "${pids[@]}" 2>/dev/null || true
  rm -rf "$work"
}
