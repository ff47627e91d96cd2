#!/bin/sh
# deps.sh install|ensure PACKAGE...: install the Debian packages lrkit needs.
# "install" installs them (as root) or prints the apt-get line to run;
# "ensure" does the same only when one of them is missing.
mode=$1
shift
missing=
for p in "$@"; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
[ "$mode" = ensure ] && echo "lrkit: missing Debian packages:$missing" >&2
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing
	exit $?
fi
echo "lrkit: run as root: apt-get install -y$missing" >&2
exit 1
