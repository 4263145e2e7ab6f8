#!/usr/bin/env bash
# Signs a tsudoi package for installation with tsudoi-update on a kiosk:
# writes PACKAGE.deb.asc, an OpenPGP detached signature by the ward's update
# key, and checks it with gpgv against the public key the kiosk holds.
#
#   scripts/sign-deb.sh --key KEY-ID PACKAGE.deb [--keyring update-keyring.gpg]
#
# KEY-ID names a secret key in gpg's keyring (GNUPGHOME). --keyring is the
# public keyring put into the image as /etc/tsudoi/update-keyring.gpg; it is
# written with `gpg --export KEY-ID` when the file does not exist yet.
set -euo pipefail
key="" deb="" keyring=""
while [ $# -gt 0 ]; do
  case $1 in
    --key) key=$2; shift 2 ;;
    --keyring) keyring=$2; shift 2 ;;
    -h|--help) sed -n '2,11p' "$0"; exit 0 ;;
    *) deb=$1; shift ;;
  esac
done
[ -n "$key" ] && [ -f "$deb" ] || { sed -n '2,11p' "$0" >&2; exit 2; }
gpg --batch --yes --local-user "$key" --armor --detach-sign --output "$deb.asc" "$deb"
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
if [ -z "$keyring" ]; then keyring=$tmp/update-keyring.gpg; fi
[ -f "$keyring" ] || gpg --batch --export "$key" > "$keyring"
gpgv --keyring "$(readlink -f "$keyring")" "$deb.asc" "$deb"
echo "$deb.asc"
