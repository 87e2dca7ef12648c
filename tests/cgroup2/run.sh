#!/usr/bin/env bash
# make test-cgroup2: detection on a real cgroup v2 host. Builds a small Debian trixie VM
# (debootstrap with Debian's kernel, systemd, podman and crun; cached in build/cgroup2-vm),
# copies the project's image into it as a `docker save` tarball, boots it under QEMU and runs
# tests/cgroup2/cases.sh there, then checks each case's line. About 10 minutes; outside make
# test. QEMU runs single-threaded TCG: KVM aborts on these machines and multi-threaded TCG
# crashed the guest when containers with --cgroup-parent started (docs/cgroup2.md).
set -euo pipefail
cd "$(dirname "$0")/../.."
vm=build/cgroup2-vm
image=aza-pg/postgres:${AZA_IMAGE_TAG:-dev}
say() { printf 'cgroup2: %s\n' "$*" >&2; }

missing=()
for p in qemu-system-x86 qemu-utils debootstrap e2fsprogs; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]} (apt)"
  apt-get update -q >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
fi

mkdir -p "$vm"
if [ ! -f "$vm/rootfs/.complete" ]; then
  say "building the VM's root file system with debootstrap (about 2 minutes)"
  rm -rf "$vm/rootfs"
  debootstrap --variant=minbase \
    --include=linux-image-amd64,systemd-sysv,dbus,podman,crun,conmon,catatonit,jq,procps \
    trixie "$vm/rootfs" http://deb.debian.org/debian >"$vm/debootstrap.log" 2>&1 \
    || { tail -20 "$vm/debootstrap.log" >&2; exit 1; }
  cat >"$vm/rootfs/etc/systemd/system/aza-cases.service" <<'UNIT'
[Unit]
Description=aza-pg cgroup v2 detection cases
After=multi-user.target
[Service]
Type=oneshot
ExecStart=/opt/aza/cases.sh
[Install]
WantedBy=multi-user.target
UNIT
  cat >"$vm/rootfs/etc/systemd/system/aza-test.slice" <<'UNIT'
[Unit]
Description=a parent slice with a memory limit the container cannot see in its own namespace
[Slice]
MemoryMax=1536M
UNIT
  ln -sf /etc/systemd/system/aza-cases.service \
    "$vm/rootfs/etc/systemd/system/multi-user.target.wants/aza-cases.service"
  echo aza-cgroup2 >"$vm/rootfs/etc/hostname"
  touch "$vm/rootfs/.complete"
fi

say "copying $image and the cases into the VM"
# The results go to the second serial port; no login prompt on either.
ln -sf /dev/null "$vm/rootfs/etc/systemd/system/serial-getty@ttyS0.service"
mkdir -p "$vm/rootfs/opt/aza"
docker save -o "$vm/rootfs/opt/aza/image.tar" "$image"
install -m 0755 tests/cgroup2/cases.sh "$vm/rootfs/opt/aza/cases.sh"
rm -f "$vm/disk.img"
mkfs.ext4 -q -d "$vm/rootfs" -F "$vm/disk.img" 6G
kernels=("$vm"/rootfs/boot/vmlinuz-*) initrds=("$vm"/rootfs/boot/initrd.img-*)
kernel=${kernels[-1]} initrd=${initrds[-1]}

say "booting the VM (QEMU, TCG, 2 vCPUs, 6 GiB); the console is in $vm/console.log"
start=$SECONDS
rm -f "$vm/results.txt"
timeout 1800 qemu-system-x86_64 -accel tcg,thread=single -smp 2 -m 6144 -nographic -no-reboot \
  -kernel "$kernel" -initrd "$initrd" -append "console=ttyS0 root=/dev/vda rw quiet" \
  -drive "file=$vm/disk.img,format=raw,if=virtio" -serial mon:stdio -serial "file:$vm/results.txt" \
  >"$vm/console.log" 2>&1 || true
say "the VM ran for $((SECONDS - start)) s"
tr -d '\r' <"$vm/results.txt" | grep -aoE '(VM|CASE) .*' >"$vm/cases.txt" || true
cat "$vm/cases.txt"

failed=0
check() {  # case regex...
  local name=$1 line; shift
  line=$(grep -E "^CASE $name " "$vm/cases.txt" || true)
  for re in "$@"; do
    if ! grep -qE -- "$re" <<<"$line"; then
      echo "FAIL: $name: /$re/ not in: ${line:-no line}"; failed=$((failed + 1)); return
    fi
  done
  echo "ok: $name"
}
host_re='memory=([0-9]+) host=\1 '
check limit_1g_cpus_1.5 'memory=1073741824 ' 'cpus=1\.5 ' 'shared_buffers=128MB' 'memsrc=cgroup v2 .*memory\.max' 'cpusrc=cgroup v2 .*cpu\.max'
check limit_4g_cpus_1 'memory=4294967296 ' 'cpus=1(\.0)? ' 'shared_buffers=512MB'
check high_below_max 'memory=1073741824 ' 'memsrc=.*memory\.high'
check low_does_not_cap 'memory=2147483648 ' 'shared_buffers=256MB'
check limit_above_host "$host_re" 'clamped to MemTotal'
check parent_slice_host_ns 'memory=1610612736 ' 'memsrc=.*aza-test\.slice'
check parent_slice_private_ns 'memory=1073741824 ' 'warnings=.*parent cgroup'
check quota_above_cpuset 'cpus=1(\.0)? ' 'cpusrc=.*clamped to 1'
check start 'healthy=yes' 'shared_buffers=256MB'
total=9
echo "$((total - failed)) passed, $failed failed"
[ "$failed" -eq 0 ]
