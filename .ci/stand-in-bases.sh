#!/usr/bin/env bash
# Builds stand-ins for the public base images of the Dockerfile and docker-compose.yml, from
# Debian packages only, for machines that can reach Debian's archive but cannot pull public
# images (CI here). ImageIT builds the real Dockerfile on them with podman:
#
#   localhost/stand-in/jdk:25    the build stage's base (eclipse-temurin:25-jdk-noble): Debian
#                                trixie with openjdk-25-jdk-headless and curl, for the Maven wrapper
#   localhost/stand-in/jre:25    the runtime base (eclipse-temurin:25-jre-alpine): trixie with
#                                openjdk-25-jre-headless, BusyBox's wget (the HEALTHCHECK's), and
#                                addgroup/adduser shims taking Alpine's options (the Dockerfile's)
#   localhost/stand-in/redis:8   compose's redis (redis:7.4-alpine): trixie's redis-server, run
#                                as user redis in /data
#
# How: one `debootstrap --variant=minbase` of trixie, copied once per image, `apt-get install` in
# each copy (chroot), then `podman import`. The images carry a label with this script's checksum;
# when all three carry the current one, nothing is done, so they are built once per machine
# (about a minute and a half) and again only when this script changes.
#
# The jdk image also trusts the certificate authorities this machine trusts beyond Debian's own
# (those of /etc/ssl/certs/ca-certificates.crt that Debian's bundle lacks), so that the build
# stage reaches Maven Central as this machine does, through a TLS-inspecting proxy for one.
#
# Needs root (debootstrap, chroot, mount), debootstrap and podman; .ci/run installs both.
# Prints the three image names on standard output, one a line: jdk, jre, redis.
set -euo pipefail

SUITE=trixie
MIRROR=http://deb.debian.org/debian
JDK_IMAGE=localhost/stand-in/jdk:25
JRE_IMAGE=localhost/stand-in/jre:25
REDIS_IMAGE=localhost/stand-in/redis:8
LABEL=io.stockservice.stand-in.recipe

HOST_BUNDLE=/etc/ssl/certs/ca-certificates.crt

recipe=$(cat "$0" "$HOST_BUNDLE" 2>/dev/null | sha256sum | cut -c1-16)

up_to_date() {
  [ "$(podman image inspect --format "{{index .Config.Labels \"$LABEL\"}}" "$1" 2>/dev/null)" = "$recipe" ]
}

if up_to_date "$JDK_IMAGE" && up_to_date "$JRE_IMAGE" && up_to_date "$REDIS_IMAGE"; then
  echo "stand-in base images are up to date (recipe $recipe)" >&2
  printf '%s\n' "$JDK_IMAGE" "$JRE_IMAGE" "$REDIS_IMAGE"
  exit 0
fi

work=$(mktemp -d /var/tmp/stand-in-bases.XXXXXX)
cleanup() {
  for dir in "$work"/*/proc; do mountpoint -q "$dir" && umount "$dir"; done
  rm -rf "$work"
}
trap cleanup EXIT

echo "debootstrap $SUITE (minbase) from $MIRROR" >&2
debootstrap --variant=minbase "$SUITE" "$work/base" "$MIRROR" >"$work/debootstrap.log" 2>&1 \
  || { tail -20 "$work/debootstrap.log" >&2; exit 1; }

# Copies the base, installs the packages in the copy, runs the extra setup in it, and imports the
# result as an image with the given Dockerfile-style changes.
build() {
  local image=$1 packages=$2 setup=$3
  shift 3
  local root="$work/$(echo "$image" | tr '/:' '__')"
  echo "building $image: $packages" >&2
  cp -a "$work/base" "$root"
  mount -t proc proc "$root/proc"
  # No daemon starts inside the chroot (redis-server's package would try).
  printf '#!/bin/sh\nexit 101\n' >"$root/usr/sbin/policy-rc.d"
  chmod +x "$root/usr/sbin/policy-rc.d"
  chroot "$root" env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $packages \
    >"$root.log" 2>&1 || { tail -20 "$root.log" >&2; exit 1; }
  if [ "$image" = "$JDK_IMAGE" ]; then extra_authorities "$root"; fi
  chroot "$root" sh -euc "$setup"
  rm -f "$root/usr/sbin/policy-rc.d"
  chroot "$root" apt-get clean
  rm -rf "$root"/var/lib/apt/lists/* "$root"/var/log/*.log "$root"/var/cache/debconf/*-old
  umount "$root/proc"
  local changes=(--change "LABEL $LABEL=$recipe")
  for change in "$@"; do changes+=(--change "$change"); done
  tar -C "$root" --numeric-owner -c . | podman import "${changes[@]}" - "$image" >/dev/null
  rm -rf "$root"
}

# The host's extra authorities, one file each, for update-ca-certificates (and its Java hook).
extra_authorities() {
  local root=$1
  [ -f "$HOST_BUNDLE" ] || return 0
  mkdir -p "$root/usr/local/share/ca-certificates/host"
  awk -v known="$root/etc/ssl/certs/ca-certificates.crt" -v out="$root/usr/local/share/ca-certificates/host" '
    BEGIN { while ((getline line < known) > 0) { block = block line "\n"; if (line ~ /END CERT/) { seen[block] = 1; block = "" } } }
    { block = block $0 "\n" }
    /END CERTIFICATE/ { if (!(block in seen) && block ~ /BEGIN CERT/) { n++; printf "%s", block > (out "/extra-" n ".crt") } block = "" }
  ' "$HOST_BUNDLE"
}

build "$JDK_IMAGE" "openjdk-25-jdk-headless curl" "update-ca-certificates >/dev/null" \
  'ENV JAVA_HOME=/usr/lib/jvm/java-25-openjdk-amd64' 'CMD ["jshell"]'

# The runtime stage runs Alpine's `addgroup -S -g GID NAME` and
# `adduser -S -D -H -u UID -G GROUP -h HOME NAME`; these shims do the same with Debian's tools.
build "$JRE_IMAGE" "openjdk-25-jre-headless busybox" '
ln -s /bin/busybox /usr/local/bin/wget
cat >/usr/local/bin/addgroup <<"EOF"
#!/bin/sh
# Alpine (BusyBox) addgroup options, done by groupadd: -S system group, -g GID.
set -eu
args=""
while getopts Sg: opt; do
  case $opt in S) args="$args --system" ;; g) args="$args --gid $OPTARG" ;; *) exit 2 ;; esac
done
shift $((OPTIND - 1))
exec groupadd $args "$1"
EOF
cat >/usr/local/bin/adduser <<"EOF"
#!/bin/sh
# Alpine (BusyBox) adduser options, done by useradd: -S system, -D no password, -H no home
# directory, -u UID, -G group, -h home, -s shell.
set -eu
args="--shell /sbin/nologin"
while getopts SDHu:G:h:s: opt; do
  case $opt in
    S) args="$args --system" ;; D) ;; H) args="$args --no-create-home" ;;
    u) args="$args --uid $OPTARG" ;; G) args="$args --gid $OPTARG" ;; h) args="$args --home-dir $OPTARG" ;;
    s) args="$args --shell $OPTARG" ;; *) exit 2 ;;
  esac
done
shift $((OPTIND - 1))
exec useradd $args "$1"
EOF
chmod 0755 /usr/local/bin/addgroup /usr/local/bin/adduser
' 'ENV JAVA_HOME=/usr/lib/jvm/java-25-openjdk-amd64' 'CMD ["jshell"]'

build "$REDIS_IMAGE" "redis-server" 'mkdir -p /data && chown redis:redis /data' \
  'USER redis' 'WORKDIR /data' 'EXPOSE 6379' 'CMD ["redis-server"]'

printf '%s\n' "$JDK_IMAGE" "$JRE_IMAGE" "$REDIS_IMAGE"
