# shellcheck shell=bash
# Finds a JDK 21 or newer for building and running mailsift. Sourced by ./mailsift and scripts/test.
# Order: $JAVA_HOME, the javac on PATH, then the newest JDK under /usr/lib/jvm. Exports JAVA_HOME and PATH.

# Prints the feature version (21, 25...) of a java binary, or nothing when it cannot tell. Reads the JDK's
# release file when there is one (no JVM start), else asks `java -version`.
mailsift_java_major() {
    local home release version
    home=$(dirname "$(dirname "$(readlink -f "$1")")")
    release="$home/release"
    if [ -r "$release" ]; then
        version=$(sed -n 's/^JAVA_VERSION="\([0-9][0-9]*\).*/\1/p' "$release")
        if [ -n "$version" ]; then
            printf '%s\n' "$version"
            return 0
        fi
    fi
    "$1" -version 2>&1 | sed -n 's/.* version "\([0-9][0-9]*\).*/\1/p' | head -n 1
}

# Prints the JDK home of a JDK 21+ (a directory with bin/java and bin/javac), or returns 1.
mailsift_find_jdk() {
    local home major best="" best_major=0
    if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/javac" ]; then
        major=$(mailsift_java_major "$JAVA_HOME/bin/java")
        if [ "${major:-0}" -ge 21 ]; then
            printf '%s\n' "$JAVA_HOME"
            return 0
        fi
    fi
    if command -v javac >/dev/null 2>&1; then
        home=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
        major=$(mailsift_java_major "$home/bin/java")
        if [ "${major:-0}" -ge 21 ]; then
            printf '%s\n' "$home"
            return 0
        fi
    fi
    for home in /usr/lib/jvm/*/; do
        home=${home%/}
        [ -x "$home/bin/javac" ] && [ -x "$home/bin/java" ] || continue
        [ -L "$home" ] && continue   # Debian adds symlinked aliases of the same JDK
        major=$(mailsift_java_major "$home/bin/java")
        if [ "${major:-0}" -ge 21 ] && [ "$major" -gt "$best_major" ]; then
            best=$home
            best_major=$major
        fi
    done
    if [ -n "$best" ]; then
        printf '%s\n' "$best"
        return 0
    fi
    return 1
}

# Sets JAVA_HOME/PATH for Maven and java, or exits with a message saying what to install.
mailsift_use_jdk() {
    local home major
    if ! home=$(mailsift_find_jdk); then
        echo "mailsift: needs a JDK 21 or newer (none in JAVA_HOME, on PATH or under /usr/lib/jvm);" \
            "install one (e.g. apt-get install openjdk-21-jdk-headless) or set JAVA_HOME" >&2
        exit 1
    fi
    export JAVA_HOME=$home
    export PATH="$JAVA_HOME/bin:$PATH"
    # .mvn/jvm.config silences JDK 24+'s sun.misc.Unsafe warnings with a flag JDK 21-22 do not know; let those ignore it.
    major=$(mailsift_java_major "$JAVA_HOME/bin/java")
    if [ "${major:-0}" -lt 23 ]; then
        export MAVEN_OPTS="-XX:+IgnoreUnrecognizedVMOptions ${MAVEN_OPTS:-}"
    fi
}
