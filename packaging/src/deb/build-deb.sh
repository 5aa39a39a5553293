#!/bin/bash
# Builds packaging/target/mailsift_<version>_amd64.deb from the distribution folder the agent module builds
# (agent/target/mailsift/{bin,lib,etc,share}). Stages the Debian tree itself and runs dpkg-deb (not jpackage:
# we want /etc conffiles, a system user and a systemd unit, see docs/java-stack.md "jlink + jpackage").
#
# Usage: build-deb.sh DIST_DIR OUT_DIR MAVEN_VERSION
# Env:   JDK_HOME (default /usr/lib/jvm/temurin-25-jdk-amd64): the JDK whose jlink makes the bundled runtime.
set -euo pipefail

DIST=$(readlink -f "${1:?distribution folder}")
OUT=$(readlink -f "${2:?output folder}")
MVN_VERSION=${3:?maven version}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../../.." && pwd)
JDK_HOME=${JDK_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
PKG=mailsift
ARCH=amd64
# Debian versions may not contain '-' without a revision; 0.1.0-SNAPSHOT -> 0.1.0~snapshot (sorts before 0.1.0).
VERSION=$(printf '%s' "$MVN_VERSION" | sed -e 's/-SNAPSHOT$/~snapshot/' -e 's/-/~/g')

log() { printf 'build-deb: %s\n' "$*" >&2; }
die() { log "$*"; exit 1; }

[ -d "$DIST/lib" ] && ls "$DIST"/lib/*.jar >/dev/null 2>&1 || die "no jars in $DIST/lib: build the distribution first (mvn -pl agent -am package)"
[ -d "$DIST/etc" ] || die "no $DIST/etc in the distribution"
[ -x "$DIST/bin/mailsift" ] || die "no launcher $DIST/bin/mailsift in the distribution"
[ -x "$JDK_HOME/bin/jlink" ] || die "no jlink in $JDK_HOME (set JDK_HOME to a JDK 21+; Temurin 25 is what we ship)"
command -v dpkg-deb >/dev/null || die "dpkg-deb is missing (apt-get install dpkg)"

STAGE=$OUT/deb-root
rm -rf "$STAGE"
mkdir -p "$STAGE/DEBIAN" "$OUT"

# --- 1. bundled Java runtime (jlink), cached by module list + JDK version -------------------------------
# jdeps finds what the jars use. java.desktop is dropped on purpose: only angus-mail's image DataContentHandlers
# want it, it would drag X11/ALSA libraries into Depends, and we never call getContent() on image parts.
# Always added: modules reached by reflection or ServiceLoader, which jdeps cannot see.
#   jdk.unsupported (sun.misc.Signal for SIGHUP/SIGTERM, netty/lmdbjava Unsafe), jdk.charsets (mail in
#   ISO-2022-JP, KOI8-R, Big5... charsets), jdk.crypto.ec (TLS to IMAP/Redis), jdk.naming.dns (DNS via JNDI),
#   java.naming, java.management, java.security.sasl (IMAP AUTH), jdk.jfr (flight recorder for diagnosis),
#   jdk.zipfs, java.net.http, jdk.net (TCP_QUICKACK for the milter).
EXTRA_MODULES=java.base,java.logging,java.naming,java.management,java.security.sasl,java.xml,java.net.http,jdk.unsupported,jdk.charsets,jdk.crypto.ec,jdk.naming.dns,jdk.jfr,jdk.zipfs,jdk.net
# A modular jar whose optional dependency is absent (netty-codec-marshalling wants JBoss Marshalling) makes jdeps
# stop with "Module X not found, required by Y": leave Y out of the analysis and ask again.
# jdeps takes a few seconds per pass: its answer is cached per set of jar names (a new or upgraded library
# invalidates it; EXTRA_MODULES covers what our own code may start using between two dependency changes).
JARS=("$DIST"/lib/*.jar)
FOUND=""
JDEPS_KEY=$( (basename -a "${JARS[@]}"; "$JDK_HOME/bin/java" -version 2>&1 | head -n 1) | md5sum | cut -c1-32)
if [ -f "$OUT/jdeps-cache" ] && [ "$(head -n 1 "$OUT/jdeps-cache")" = "$JDEPS_KEY" ]; then
    FOUND=$(sed -n 2p "$OUT/jdeps-cache")
    JARS=()
fi
for attempt in 1 2 3 4 5 6 7 8; do
    [ ${#JARS[@]} -gt 0 ] || break
    OUTPUT=$("$JDK_HOME/bin/jdeps" --multi-release 21 --ignore-missing-deps --print-module-deps \
              --class-path "$(IFS=:; echo "${JARS[*]}")" "${JARS[@]}" 2>&1 | tail -n 1 || true)
    if printf '%s' "$OUTPUT" | grep -Eq '^[a-z0-9.]+(,[a-z0-9.]+)*$'; then
        FOUND=$OUTPUT
        break
    fi
    BAD=$(printf '%s' "$OUTPUT" | sed -n 's/.*required by \([A-Za-z0-9_.]*\).*/\1/p')
    [ -n "$BAD" ] || break
    KEEP=()
    for j in "${JARS[@]}"; do
        # the module name of a jar: Automatic-Module-Name or module-info; match loosely on the jar's file name
        name=$(basename "$j" .jar | sed 's/-[0-9].*//; s/-/./g')
        [ "io.$name" = "$BAD" ] || [ "$name" = "$BAD" ] || KEEP+=("$j")
    done
    if [ ${#KEEP[@]} -eq ${#JARS[@]} ]; then break; fi
    log "jdeps: leaving out $BAD (its optional dependency is absent)"
    JARS=("${KEEP[@]}")
done
[ -n "$FOUND" ] && printf '%s\n%s\n' "$JDEPS_KEY" "$FOUND" > "$OUT/jdeps-cache"
if [ -z "$FOUND" ]; then
    # still no answer: a generous fixed list gives a working runtime
    log "jdeps said: $OUTPUT -- using a fixed module list"
    FOUND=java.sql,java.xml,java.scripting,jdk.httpserver
fi
MODULES=$(printf '%s,%s\n' "$FOUND" "$EXTRA_MODULES" | tr ',' '\n' | grep -v -e '^java.desktop$' -e '^$' | sort -u | paste -sd, -)
JDK_ID=$("$JDK_HOME/bin/java" -version 2>&1 | head -n 1)
CACHE=$OUT/runtime-cache
if [ ! -f "$CACHE/.stamp" ] || [ "$(cat "$CACHE/.stamp")" != "$JDK_ID|$MODULES" ]; then
    log "jlink: $MODULES"
    rm -rf "$CACHE"
    "$JDK_HOME/bin/jlink" --add-modules "$MODULES" --strip-debug --no-man-pages --no-header-files \
        --compress=zip-6 --output "$CACHE"
    printf '%s' "$JDK_ID|$MODULES" > "$CACHE/.stamp"
else
    log "jlink: reusing $CACHE"
fi
mkdir -p "$STAGE/usr/lib/$PKG"
cp -a "$CACHE" "$STAGE/usr/lib/$PKG/runtime"
rm -f "$STAGE/usr/lib/$PKG/runtime/.stamp"

# --- 2. the distribution, laid out per FHS ------------------------------------------------------------------
install -d "$STAGE/usr/lib/$PKG/lib" "$STAGE/usr/bin" "$STAGE/etc/$PKG" "$STAGE/usr/share/$PKG" \
           "$STAGE/usr/share/doc/$PKG" "$STAGE/lib/systemd/system" "$STAGE/etc/default" \
           "$STAGE/var/lib/$PKG" "$STAGE/var/log/$PKG"
cp -a "$DIST"/lib/*.jar "$STAGE/usr/lib/$PKG/lib/"
cp -a "$DIST/etc/." "$STAGE/etc/$PKG/"
# local.d/ and override.d/ belong to the admin: shipped empty, so upgrades never touch them.
for d in local.d override.d; do
    rm -rf "${STAGE:?}/etc/$PKG/$d"
    install -d -m 0755 "$STAGE/etc/$PKG/$d"
done
[ -d "$DIST/share" ] && cp -a "$DIST/share/." "$STAGE/usr/share/$PKG/"
# The distribution's own launcher picks up runtime/ next to lib/; /usr/bin/mailsift is a relative symlink to it
# (relative, so an extracted copy under any root runs too). etc/ and share/ of the distribution point at the FHS
# places, so "the distribution's etc/" is /etc/mailsift when packaged, and its data/ is /var/lib/mailsift.
install -d "$STAGE/usr/lib/$PKG/bin"
install -m 0755 "$DIST/bin/mailsift" "$STAGE/usr/lib/$PKG/bin/mailsift"
ln -s ../lib/$PKG/bin/mailsift "$STAGE/usr/bin/mailsift"
ln -s ../../../etc/$PKG "$STAGE/usr/lib/$PKG/etc"
ln -s ../../share/$PKG "$STAGE/usr/lib/$PKG/share"
# the launcher's default data directory is data/ beside it: /var/lib/mailsift when packaged (CLI use as root too)
ln -s ../../../var/lib/$PKG "$STAGE/usr/lib/$PKG/data"
install -m 0644 "$HERE/debian/mailsift.service" "$STAGE/lib/systemd/system/mailsift.service"
install -m 0644 "$HERE/debian/default" "$STAGE/etc/default/$PKG"
install -m 0644 "$HERE/debian/copyright" "$STAGE/usr/share/doc/$PKG/copyright"
[ -f "$ROOT/README.md" ] && install -m 0644 "$ROOT/README.md" "$STAGE/usr/share/doc/$PKG/README.md"
printf '%s (%s) unstable; urgency=medium\n\n  * Package built from the mailsift source tree.\n\n -- mailsift maintainers <mailsift@localhost>  %s\n' \
    "$PKG" "$VERSION" "$(date -R)" | gzip -9n > "$STAGE/usr/share/doc/$PKG/changelog.gz"
# Plain files 0644, directories and programs 0755 (dpkg-deb keeps what the tree has).
find "$STAGE" -type d -exec chmod 0755 {} +
find "$STAGE/etc" "$STAGE/usr/share" "$STAGE/usr/lib/$PKG/lib" "$STAGE/lib" -type f -exec chmod 0644 {} +
# Passwords live in local.d/ and override.d/: never world-readable, not even between unpacking and postinst (which
# gives them to group mailsift with dpkg-statoverride; the group does not exist at build time).
chmod 0750 "$STAGE/etc/$PKG/local.d" "$STAGE/etc/$PKG/override.d"
# Programs shipped as data (the IMAPSieve learn helper): anything starting with #! (Ant's copy drops the x bit).
find "$STAGE/usr/share/$PKG" -type f -exec sh -c 'for f; do [ "$(head -c 2 "$f")" = "#!" ] && chmod 0755 "$f"; done; true' sh {} +
# Dovecot's sieve_pipe_bin_dir (see share/dovecot/2.3/90-mailsift.conf) holds only the learn helper.
if [ -f "$STAGE/usr/share/$PKG/sieve/mailsift-learn" ]; then
    install -d "$STAGE/usr/lib/$PKG/sieve-pipe"
    ln -s ../../../share/$PKG/sieve/mailsift-learn "$STAGE/usr/lib/$PKG/sieve-pipe/mailsift-learn"
fi

# --- 3. control files ------------------------------------------------------------------------------------
# Shared libraries the runtime links against, mapped to the Debian packages that hold them here (needs objdump from
# binutils; without it, libc6, which is all a Temurin jlink image needs).
DEPENDS=""
command -v objdump >/dev/null 2>&1 && DEPENDS=$(find "$STAGE/usr/lib/$PKG/runtime" -type f \( -name '*.so' -o -path '*/bin/*' \) -print0 \
    | xargs -0 objdump -p 2>/dev/null | awk '/NEEDED/ {print $2}' | sort -u \
    | while read -r lib; do
          [ -e "$STAGE/usr/lib/$PKG/runtime/lib/$lib" ] && continue
          path=$(ldconfig -p | awk -v l="$lib" '$1 == l && /x86-64/ {print $NF; exit}')
          [ -n "$path" ] && dpkg -S "$(readlink -f "$path")" 2>/dev/null | cut -d: -f1 || true
      done | sort -u | paste -sd, - | sed 's/,/, /g' || true)
DEPENDS=${DEPENDS:-libc6}
INSTALLED_SIZE=$(du -sk --exclude=DEBIAN "$STAGE" | cut -f1)
cat > "$STAGE/DEBIAN/control" <<CONTROL
Package: $PKG
Version: $VERSION
Architecture: $ARCH
Maintainer: mailsift maintainers <mailsift@localhost>
Installed-Size: $INSTALLED_SIZE
Depends: $DEPENDS, adduser | passwd
Recommends: redis-server
Suggests: postfix | mail-transport-agent, dovecot-lmtpd, dovecot-sieve, dovecot-imapd
Section: mail
Priority: optional
Homepage: https://localhost/mailsift
Description: spam filter for Postfix and Dovecot, Rspamd-compatible
 mailsift scans mail as a Postfix milter (Rspamd proxy worker protocol on port
 11332), answers Rspamd's HTTP API (rspamc, /checkv2, /learnspam, /stat on 11333
 and 11334), files spam into Junk through Sieve and learns from the users'
 moves in and out of Junk (IMAP watcher or IMAPSieve). Bayes statistics live
 in an embedded store under /var/lib/mailsift or in Redis.
 .
 The package bundles its own Java runtime (jlink) under /usr/lib/mailsift.
CONTROL
# Every file under /etc is a conffile: upgrades keep the admin's edits.
(cd "$STAGE" && find etc -type f | sort | sed 's|^|/|') > "$STAGE/DEBIAN/conffiles"
for s in postinst prerm postrm; do install -m 0755 "$HERE/debian/$s" "$STAGE/DEBIAN/$s"; done
(cd "$STAGE" && find . -path ./DEBIAN -prune -o -type f -print0 | sort -z | xargs -0 md5sum | sed 's| \./| |') \
    > "$STAGE/DEBIAN/md5sums"

# --- 4. the package ------------------------------------------------------------------------------------------
DEB=$OUT/${PKG}_${VERSION}_${ARCH}.deb
rm -f "$OUT"/${PKG}_*_${ARCH}.deb
dpkg-deb --root-owner-group -Zgzip --build "$STAGE" "$DEB" >/dev/null
log "wrote $DEB ($(du -h "$DEB" | cut -f1), installed $((INSTALLED_SIZE / 1024)) MB, Depends: $DEPENDS)"
printf '%s\n' "$DEB"
