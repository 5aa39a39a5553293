# shellcheck shell=bash
# A private test Postfix's main.cf and master.cf, rendered from the tests' one template
# (test-support/src/main/resources/org/mailsift/testsupport/postfix/main.cf) by test-support's PostfixConfig, the
# renderer the Java tests' PostfixServer uses. Sourced by scripts/e2e.sh and scripts/bench-milter.sh.
#
#   postfix_test_config DIR SMTP_PORT SYSLOG_NAME [--merge MAIN_CF_FRAGMENT] [--set NAME=VALUE]...
#
# writes DIR/etc/{main.cf,master.cf} and creates DIR/spool, DIR/data (the postfix user's) and DIR/maillog. Options
# apply in order (a --set after a --merge wins). Needs a built test-support (mvn -pl agent -am package builds it);
# the template is read from the source tree, so an edit there applies without a rebuild.

postfix_test_config() {
    local root classes java home
    root=$(cd "$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../.." && pwd)
    classes=$root/test-support/target/classes
    if [ ! -f "$classes/org/mailsift/testsupport/PostfixConfig.class" ]; then
        echo "postfix_test_config: test-support is not built ($classes): mvn -B -ntp -pl test-support install -DskipTests" >&2
        return 1
    fi
    java=java
    # shellcheck source=find-java.sh
    if . "$root/scripts/lib/find-java.sh" && home=$(mailsift_find_jdk); then
        java=$home/bin/java
    fi
    "$java" -cp "$root/test-support/src/main/resources:$classes" org.mailsift.testsupport.PostfixConfig \
        --dir "$1" --smtp-port "$2" --syslog-name "$3" "${@:4}"
}
