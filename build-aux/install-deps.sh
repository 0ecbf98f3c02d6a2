#!/bin/sh
# Installs what building and testing wslfp needs on Debian 12, as root.
# Packages already present are left alone; nothing is installed when all are.
set -eu
packages="meson ninja-build pkg-config gcc binutils libc6-dev libglib2.0-dev libopenblas-dev
  libhdf5-dev hdf5-tools libcairo2-dev gettext xvfb xauth libgtk-4-dev libadwaita-1-dev
  desktop-file-utils appstream yelp-tools itstool libjson-glib-dev libfftw3-dev libdeflate-dev libopenmpi-dev openmpi-bin clang libclang-rt-14-dev locales time
  gdb fonts-dejavu-core python3-numpy python3-scipy python3-pytest python3-h5py python3-hdmf python3-matplotlib python3-brian python3-attr python3-pip"
missing=""
for p in $packages; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
need_locale=no
locale -a 2>/dev/null | grep -qi '^de_DE\.utf-\?8$' || need_locale=yes
[ -z "$missing" ] && [ $need_locale = no ] && exit 0
if [ "$(id -u)" != 0 ]; then
  echo "install-deps: missing packages:$missing (German locale missing: $need_locale); run as root" >&2
  exit 1
fi
if [ -n "$missing" ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends $missing
fi
# The translation test runs the app in German.
if [ $need_locale = yes ]; then
  localedef -i de_DE -f UTF-8 de_DE.UTF-8
fi
