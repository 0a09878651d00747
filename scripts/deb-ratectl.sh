#!/bin/sh
# Build the Debian package of ratectl in OUTDIR from the sources in
# tools/ratectl, built in BUILD: the binary (stripped), its man page, bash
# and zsh completion, systemd unit and example configuration, where Debian
# 12 puts them. The unit is not enabled: it applies /etc/ratectl.conf, which the
# administrator writes first (README.md, "Installing").
# Usage: deb-ratectl.sh BUILD OUTDIR
set -eu
umask 022
mkdir -p "$1"
build=$(realpath "$1") out=$2
src=$(cd "$(dirname "$0")/../tools/ratectl" && pwd)
version=$(sed -n 's/^VERSION *?= *//p' "$src/Makefile")
arch=$(dpkg --print-architecture)
# Laid out as debhelper would, so that dpkg-shlibdeps finds its way.
work=$build/package
stage=$work/debian/ratectl
doc=$stage/usr/share/doc/ratectl

# Debian's hardening flags, as its own packages are built; built afresh,
# since the objects do not record the flags they were built with.
rm -rf "$work" "$build"/*.o "$build/ratectl"
make -s -C "$src" O="$build" DESTDIR="$stage" PREFIX=/usr UNITDIR=/lib/systemd/system \
	ZSHCOMPDIR=/usr/share/zsh/vendor-completions \
	CFLAGS="$(dpkg-buildflags --get CFLAGS) $(dpkg-buildflags --get CPPFLAGS)" \
	LDFLAGS="$(dpkg-buildflags --get LDFLAGS)" install
strip --strip-unneeded --remove-section=.comment --remove-section=.note \
	"$stage/usr/sbin/ratectl"
gzip -9n "$stage/usr/share/man/man8/ratectl.8"
mkdir -p "$doc/examples"
mv "$doc/ratectl.conf.example" "$doc/examples/ratectl.conf"
cat > "$doc/copyright" <<COPYRIGHT
Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/
Upstream-Name: ratewin

Files: *
Copyright: the ratewin developers
License: GPL-2.0-only
 On Debian systems, the full text of the GNU General Public License
 version 2 can be found in /usr/share/common-licenses/GPL-2.
COPYRIGHT

mkdir -p "$stage/DEBIAN"
printf 'Source: ratectl\n\nPackage: ratectl\nArchitecture: any\n' > "$work/debian/control"
depends=$(cd "$work" && dpkg-shlibdeps -O debian/ratectl/usr/sbin/ratectl) &&
	depends=${depends#shlibs:Depends=} && [ -n "$depends" ] ||
	{ echo "deb-ratectl: dpkg-shlibdeps found no dependencies" >&2; exit 1; }

cat > "$stage/DEBIAN/control" <<CONTROL
Package: ratectl
Version: $version
Architecture: $arch
Maintainer: ratewin developers <dev@ratewin.example.org>
Installed-Size: $(du -sk --exclude=DEBIAN "$stage" | cut -f1)
Depends: $depends
Section: admin
Priority: optional
Description: tune ratewin, the kernel's rate-window I/O throttling
 ratectl sets the rates, modes and hysteresis of ratewin's classes of
 processes through /sys/kernel/ratewin, runs commands in a class, moves
 processes between classes and watches their file and network rates.
 ratectl.service applies /etc/ratectl.conf at boot.
 .
 It needs a kernel built with CONFIG_RATEWIN=y.
CONTROL
# An enabled ratectl.service is disabled when the package goes, so that no
# link to a removed unit is left behind.
cat > "$stage/DEBIAN/prerm" <<'SCRIPT'
#!/bin/sh
set -e
if [ "$1" = remove ] && [ -d /run/systemd/system ]; then
	systemctl disable ratectl.service >/dev/null 2>&1 || true
fi
SCRIPT
for script in postinst postrm; do
	cat > "$stage/DEBIAN/$script" <<'SCRIPT'
#!/bin/sh
set -e
if [ -d /run/systemd/system ]; then
	systemctl daemon-reload >/dev/null || true
fi
SCRIPT
done
chmod 0755 "$stage/DEBIAN/prerm" "$stage/DEBIAN/postinst" "$stage/DEBIAN/postrm"
(cd "$stage" && find lib usr -type f -exec md5sum {} + > DEBIAN/md5sums)

# The same sources make the same package: every time is the last commit's.
SOURCE_DATE_EPOCH=${SOURCE_DATE_EPOCH:-$(git -C "$src" log -1 --format=%ct)}
export SOURCE_DATE_EPOCH
find "$stage" -exec touch -h -d "@$SOURCE_DATE_EPOCH" {} +

mkdir -p "$out"
dpkg-deb --root-owner-group -Zxz --build "$stage" \
	"$out/ratectl_${version}_$arch.deb" > /dev/null
echo "$out/ratectl_${version}_$arch.deb"
