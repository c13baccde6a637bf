#!/usr/bin/env bash
# Rebuilds test/fixtures/net-snmp-vectors.txt from real Net-SNMP traffic on loopback:
# starts snmpd (Debian package snmpd) on a free port, runs the Net-SNMP tools against it
# (package snmp) while tcpdump records, then converts the capture to "label sport>dport hex" lines.
# Needs root (tcpdump). Usage: bash scripts/capture-vectors.sh > test/fixtures/net-snmp-vectors.txt
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d)
trap 'kill $(cat "$work"/*.pid 2>/dev/null) 2>/dev/null || true; rm -rf "$work"' EXIT
port=$(python3 -c 'import socket;s=socket.socket(socket.AF_INET,socket.SOCK_DGRAM);s.bind(("127.0.0.1",0));print(s.getsockname()[1])')
tport=$((port + 1))
mkdir -p "$work/persist"
cat > "$work/snmpd.conf" <<CONF
rocommunity public 127.0.0.1
rwcommunity private 127.0.0.1
createUser shaAes SHA "authpass123" AES "privpass123"
createUser md5Des MD5 "authpass123" DES "privpass123"
createUser sha512Aes256 SHA-512 "authpass123" AES-256 "privpass123"
createUser sha256Aes192 SHA-256 "authpass123" AES-192 "privpass123"
createUser noAuth
rwuser shaAes priv
rwuser md5Des priv
rwuser sha512Aes256 priv
rwuser sha256Aes192 priv
rouser noAuth noauth .1.3.6.1.2.1.1
sysContact ops@example.net
CONF
SNMP_PERSISTENT_DIR="$work/persist" snmpd -f -Lf "$work/snmpd.log" -C -c "$work/snmpd.conf" -I -smux \
  -p "$work/snmpd.pid" "udp:127.0.0.1:$port" &
for _ in $(seq 50); do snmpget -v2c -c public -t 0.1 -r 0 "127.0.0.1:$port" 1.3.6.1.2.1.1.3.0 >/dev/null 2>&1 && break; sleep 0.1; done
tcpdump -i lo -U -w "$work/cap.pcap" "udp port $port or udp port $tport" 2>/dev/null &
echo $! > "$work/tcpdump.pid"
sleep 1
A="127.0.0.1:$port"
T="127.0.0.1:$tport"
set +e
{
  snmpget -v1 -c public "$A" 1.3.6.1.2.1.1.1.0 1.3.6.1.2.1.1.3.0
  snmpget -v1 -c public "$A" 1.3.6.1.2.1.99.0 || true
  snmpget -v2c -c public "$A" 1.3.6.1.2.1.1.5.0 1.3.6.1.2.1.1.9.1.2.1 1.3.6.1.2.1.99.0 1.3.6.1.2.1.1.1.1
  snmpgetnext -v1 -c public "$A" 1.3.6.1.2.1.99
  snmpgetnext -v2c -c public "$A" 1.3.6.1.2.1.1.1.0 1.3.6.1.2.1.2.2.1.10
  snmpbulkget -v2c -c public -Cn1 -Cr5 "$A" 1.3.6.1.2.1.1.3.0 1.3.6.1.2.1.2.2.1.2 1.3.6.1.2.1.31.1.1.1.6
  snmpbulkwalk -v2c -c public -Cr25 "$A" 1.3.6.1.2
  snmpbulkwalk -v2c -c public -Cr25 "$A" 1.3.6.1.6.3
  snmpwalk -v1 -c public "$A" 1.3.6.1.2.1.1
  snmpwalk -v2c -c public "$A" 1.3.6.1.2.1.2.2.1.1
  snmpset -v2c -c private "$A" 1.3.6.1.2.1.1.6.0 s "Rack 4, row 2"
  snmpset -v2c -c private "$A" 1.3.6.1.2.1.1.4.0 s "x" || true
  snmpset -v2c -c private "$A" 1.3.6.1.2.1.1.6.0 i 5 || true
  snmpset -v1 -c private "$A" 1.3.6.1.2.1.1.3.0 t 5 || true
  snmpset -v2c -c public "$A" 1.3.6.1.2.1.1.6.0 s "denied" || true
  for u in "shaAes SHA AES" "md5Des MD5 DES" "sha512Aes256 SHA-512 AES-256" "sha256Aes192 SHA-256 AES-192"; do
    set -- $u
    snmpget -v3 -u "$1" -l authPriv -a "$2" -A authpass123 -x "$3" -X privpass123 "$A" 1.3.6.1.2.1.1.1.0 1.3.6.1.2.1.1.3.0
    snmpget -v3 -u "$1" -l authNoPriv -a "$2" -A authpass123 "$A" 1.3.6.1.2.1.1.5.0
    snmpbulkwalk -v3 -u "$1" -l authPriv -a "$2" -A authpass123 -x "$3" -X privpass123 -Cr10 "$A" 1.3.6.1.2.1.1
    snmpset -v3 -u "$1" -l authPriv -a "$2" -A authpass123 -x "$3" -X privpass123 "$A" 1.3.6.1.2.1.1.6.0 s "set by $1"
  done
  snmpget -v3 -u noAuth -l noAuthNoPriv -n "" "$A" 1.3.6.1.2.1.1.1.0
  snmpget -v3 -u nobody -l noAuthNoPriv "$A" 1.3.6.1.2.1.1.1.0 || true
  snmpget -v3 -u shaAes -l authNoPriv -a SHA -A wrongpass123 "$A" 1.3.6.1.2.1.1.1.0 || true
  snmpget -v3 -u shaAes -l authPriv -a SHA -A authpass123 -x AES -X wrongpriv123 -t 0.3 -r 0 "$A" 1.3.6.1.2.1.1.1.0 || true
  snmptrap -v1 -c public "$T" 1.3.6.1.4.1.8072.2.3 127.0.0.1 6 17 12345 1.3.6.1.2.1.1.5.0 s "host" 1.3.6.1.2.1.2.2.1.10.1 c 42
  snmptrap -v1 -c public "$T" 1.3.6.1.4.1.8072.2.3 127.0.0.1 2 0 '' 1.3.6.1.2.1.2.2.1.1.1 i 1
  snmptrap -v2c -c public "$T" '' 1.3.6.1.6.3.1.1.5.3 1.3.6.1.2.1.2.2.1.1.2 i 2 \
    1.3.6.1.2.1.31.1.1.1.6.1 C 18446744073709551615 1.3.6.1.2.1.4.20.1.1.127.0.0.1 a 127.0.0.1 \
    1.3.6.1.2.1.1.2.0 o 1.3.6.1.4.1.8072 1.3.6.1.2.1.2.2.1.5.1 u 4294967295 1.3.6.1.2.1.25.1.1.0 t 4294967295 \
    1.3.6.1.2.1.1.4.0 x "00 FF 80" 1.3.6.1.2.1.2.2.1.8.1 i -2147483648 1.3.6.1.2.1.2.2.1.7.1 i 2147483647 \
    1.3.6.1.4.1.1.7 o 2.999.4294967295 1.3.6.1.4.1.1.8 s "$(head -c 300 /dev/zero | tr '\0' 'a')"
  snmptrap -v2c -c public "$T" '' 1.3.6.1.6.3.1.1.5.3 1.3.6.1.4.1.1.1 F 3.5 1.3.6.1.4.1.1.2 D -2.25 \
    1.3.6.1.4.1.1.3 I -9000000000 1.3.6.1.4.1.1.4 U 18446744073709551615 1.3.6.1.4.1.1.5 i 0 1.3.6.1.4.1.1.6 s "" \
    1.3.6.1.4.1.1.9 c 0 1.3.6.1.4.1.1.10 F -0.0001
  snmptrap -v3 -u shaAes -l authPriv -a SHA -A authpass123 -x AES -X privpass123 -e 0x8000000001020304 "$T" '' 1.3.6.1.6.3.1.1.5.1
  snmptrap -v3 -u md5Des -l authNoPriv -a MD5 -A authpass123 -e 0x8000000001020304 "$T" 12345 1.3.6.1.6.3.1.1.5.2
  snmpinform -v2c -c public -r 0 -t 0.2 "$T" '' 1.3.6.1.6.3.1.1.5.1 || true
} >/dev/null 2>&1
set -e
sleep 1
kill "$(cat "$work/tcpdump.pid")"; rm "$work/tcpdump.pid"
sleep 0.5
node "$here/pcap-to-vectors.mjs" "$work/cap.pcap" | sed -E "s/(^| )$port>/\1agent>/; s/>$port /\>agent /; s/>$tport /\>trapd /"
