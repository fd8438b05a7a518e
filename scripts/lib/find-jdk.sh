# Sourced by ./ciphersync and scripts/test: sets JAVA_HOME to a JDK >= 21 and JAVA to its java.
# Order: $JAVA_HOME, the java on PATH, then the newest JDK installed in the usual places.

_cs_java_major() { # prints the feature version of the java binary $1, or 0
  # A JDK's `release` file names its version: reading it costs nothing, where starting a JVM to ask
  # would add a tenth of a second to every command. Without the file, the JVM is asked.
  local v release
  release="$(dirname "$(dirname "$(readlink -f "$1")")")/release"
  if [ -f "$release" ]; then
    v=$(sed -n 's/^JAVA_VERSION="\([0-9][0-9]*\).*/\1/p' "$release")
  else
    v=$("$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/{print $2; exit}')
  fi
  case $v in 1|1.*) echo 0 ;; ''|*[!0-9]*) echo 0 ;; *) echo "$v" ;; esac
}

_cs_find_jdk() {
  local want=21 candidate best="" best_v=0 v
  if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ] && [ "$(_cs_java_major "$JAVA_HOME/bin/java")" -ge $want ]; then
    echo "$JAVA_HOME"; return 0
  fi
  if command -v javac >/dev/null 2>&1; then
    candidate=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
    if [ -x "$candidate/bin/java" ] && [ "$(_cs_java_major "$candidate/bin/java")" -ge $want ]; then
      echo "$candidate"; return 0
    fi
  fi
  for candidate in /usr/lib/jvm/* /usr/java/* /opt/java/* /opt/jdk* "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/*; do
    [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
    v=$(_cs_java_major "$candidate/bin/java")
    if [ "$v" -gt "$best_v" ]; then best=$candidate; best_v=$v; fi
  done
  if [ "$best_v" -ge $want ]; then echo "$best"; return 0; fi
  return 1
}

if ! JAVA_HOME=$(_cs_find_jdk); then
  echo "ciphersync: no JDK 21 or newer found (looked at JAVA_HOME, PATH and /usr/lib/jvm)." >&2
  echo "Install one, e.g. 'apt-get install openjdk-21-jdk', or set JAVA_HOME to it." >&2
  exit 3
fi
export JAVA_HOME
JAVA="$JAVA_HOME/bin/java"
