#!/usr/bin/env bash
# Several hosts: -np 4 over two "hosts" made of network namespaces on this
# machine (shared/PLATFORM.md, "Several hosts on one machine"), MPI over TCP
# between them.  Each namespace has its own address on a private bridge and
# its own host name; mpirun starts its daemons there through an rsh agent
# (ip netns exec + unshare --uts), so the ranks see two nodes: shared memory
# inside a host, TCP between hosts.  The contigs must be byte-identical to a
# one-host run, and the log must show each rank's host and binding.  Needs
# root (it creates namespaces, a bridge and veth pairs, removed at exit).
set -u
B=${1:-build}
source "$(dirname "$0")/../lib.sh"
cd "$TMP"

fail_setup() { bad "$1"; [ -s "${2:-}" ] && tail -5 "$2"; summary hosts; exit 1; }
[ "$(id -u)" -eq 0 ] || fail_setup "needs root (network namespaces)"
if ! command -v ip > /dev/null; then
	apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends iproute2 > apt.log 2>&1 ||
		{ apt-get -o DPkg::Lock::Timeout=600 update > apt.log 2>&1 &&
		  apt-get -o DPkg::Lock::Timeout=600 install -y --no-install-recommends iproute2 >> apt.log 2>&1; } ||
		fail_setup "apt-get install iproute2" apt.log
fi

# names are per run (a kernel interface name has at most 15 bytes)
tag=$$
NS1=dyh1-$tag NS2=dyh2-$tag BR=dybr$tag
SUB=198.18.$((RANDOM % 250)).   # RFC 2544's benchmarking range: no site routes there
cleanup() {
	ip netns del "$NS1" 2> /dev/null; ip netns del "$NS2" 2> /dev/null   # takes their veth ends with them
	ip link del "$BR" 2> /dev/null
}
trap 'cleanup; rm -rf "$TMP"' EXIT
trap 'exit 130' INT TERM HUP

{
	ip link add "$BR" type bridge && ip addr add "${SUB}254/24" dev "$BR" && ip link set "$BR" up &&
	for i in 1 2; do
		ns=$([ $i = 1 ] && echo "$NS1" || echo "$NS2")
		ip netns add "$ns" && ip link add "dyv$i-$tag" type veth peer name eth0 netns "$ns" &&
		ip link set "dyv$i-$tag" master "$BR" up &&
		ip netns exec "$ns" ip addr add "$SUB$i/24" dev eth0 &&
		ip netns exec "$ns" ip link set eth0 up && ip netns exec "$ns" ip link set lo up || exit 1
	done
} > net.log 2>&1 || fail_setup "cannot make two network namespaces on a bridge" net.log
ok "two hosts: namespaces $NS1 ($SUB""1, h1) and $NS2 ($SUB""2, h2) on bridge $BR"

# mpirun's rsh agent: run the daemon inside the host's namespace, under its own host name
cat > agent <<EOF
#!/bin/sh
host=\$1; shift
case \$host in
${SUB}1) ns=$NS1 name=h1 ;;
${SUB}2) ns=$NS2 name=h2 ;;
*) echo "agent: unknown host \$host" >&2; exit 1 ;;
esac
exec ip netns exec \$ns unshare --uts sh -c "hostname \$name; exec \$*"
EOF
chmod +x agent
printf '%s slots=2\n%s slots=2\n' "${SUB}1" "${SUB}2" > hostfile

$SIM genome 300000 71 400 4 > g.fa
$SIM reads g.fa 100 30 72 0.004 > r.fq
if dy 4 1 asm -k 31 -o one r.fq > one.log 2>&1; then ok "one host, -np 4: assembled"
else fail_setup "one host, -np 4: dactyl failed" one.log; fi

OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1 timeout 300 \
	mpirun -np 4 --hostfile hostfile --mca plm_rsh_agent "$TMP/agent" \
	--mca oob_tcp_if_include "${SUB}0/24" --mca btl_tcp_if_include "${SUB}0/24" --mca btl tcp,vader,self \
	-x OMP_NUM_THREADS=1 "$DACTYL" asm -k 31 -o two "$TMP/r.fq" > two.log 2>&1 < /dev/null
rc=$?
check "two hosts, -np 4 over TCP: exit 0 (status $rc)" test "$rc" -eq 0
[ "$rc" -eq 0 ] || tail -15 two.log
check "two hosts: the log shows ranks 0-1 on h1 and 2-3 on h2" \
	grep -q '4 rank(s) on 2 host(s): h1 (ranks 0-1), h2 (ranks 2-3)' two.log
# node-local ranks come from MPI_COMM_TYPE_SHARED: each host's two ranks share its two cores out
check "two hosts: the log shows every rank's binding, cores shared out per host" \
	sh -c "c0=\$(sed -n 's/.*\] rank 0: cpuset {[^}]*}: t0->//p' two.log); c1=\$(sed -n 's/.*\] rank 1: cpuset {[^}]*}: t0->//p' two.log)
	       c2=\$(sed -n 's/.*\] rank 2: cpuset {[^}]*}: t0->//p' two.log); c3=\$(sed -n 's/.*\] rank 3: cpuset {[^}]*}: t0->//p' two.log)
	       [ -n \"\$c0\" ] && [ -n \"\$c2\" ] && [ \"\$c0\" != \"\$c1\" ] && [ \"\$c2\" != \"\$c3\" ]"
grep -E 'M::hosts|M::pin' two.log | sed 's/^/     /'
check "two hosts: contigs byte-identical to the one-host run" cmp -s one/contigs.fa two/contigs.fa
check "two hosts: graph.gfa and histogram byte-identical too" \
	sh -c 'cmp -s one/graph.gfa two/graph.gfa && cmp -s one/kmer-histogram.tsv two/kmer-histogram.tsv'
check "two hosts: the contigs are the genome's (>= 95% of its k-mers)" \
	sh -c "set -- \$($KCHECK cmp 31 two/contigs.fa g.fa); [ \$((\$3 * 100)) -ge \$((\$1 * 95)) ]"
summary hosts
