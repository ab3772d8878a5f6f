#!/usr/bin/env bash
# Makes a private certificate authority and certificates signed by it, with the openssl command,
# for TLS listeners and their clients (tests, `make cluster`, a first try of TLS):
#   make-certs.sh DIR [NAME...]
# DIR/ca.pem and DIR/ca.key: the authority (10 years).
# DIR/server.pem: the broker's private key and certificate chain in one PEM file (Kafka's
#   ssl.keystore.type=PEM), for 127.0.0.1, ::1 and localhost (plus $SERVER_HOSTS, comma-separated
#   DNS names or IP addresses).
# DIR/<NAME>.pem, DIR/<NAME>.key, DIR/<NAME>.crt: a client certificate whose subject is CN=<NAME>
#   (default: one named "client"), key and certificate together and apart.
# Keys are EC P-256; everything is valid for 825 days. Existing files are replaced.
set -euo pipefail
dir=${1:?usage: make-certs.sh DIR [NAME...]}
shift
names=("$@")
[ ${#names[@]} -gt 0 ] || names=(client)
mkdir -p "$dir"
cd "$dir"
umask 077

key() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$1" 2>/dev/null; }

key ca.key
openssl req -x509 -new -key ca.key -sha256 -days 3650 -subj "/CN=Sluice test CA" \
    -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" -out ca.pem

# sign NAME SUBJECT EXTENSIONS: NAME.key and NAME.crt signed by the authority.
sign() {
    key "$1.key"
    openssl req -new -key "$1.key" -subj "$2" -out "$1.csr"
    printf '%s\n' "$3" > "$1.ext"
    openssl x509 -req -in "$1.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -days 825 -sha256 \
        -extfile "$1.ext" -out "$1.crt" 2>/dev/null
    rm -f "$1.csr" "$1.ext"
}

alt="DNS:localhost,IP:127.0.0.1,IP:::1"
IFS=',' read -ra extra <<< "${SERVER_HOSTS:-}"
for host in "${extra[@]}"; do
    [ -n "$host" ] || continue
    if [[ $host =~ ^[0-9.]+$ || $host == *:* ]]; then alt="$alt,IP:$host"; else alt="$alt,DNS:$host"; fi
done
sign server "/CN=sluice-broker" "subjectAltName=$alt
extendedKeyUsage=serverAuth,clientAuth
keyUsage=critical,digitalSignature"
cat server.key server.crt ca.pem > server.pem

for name in "${names[@]}"; do
    sign "$name" "/CN=$name" "extendedKeyUsage=clientAuth
keyUsage=critical,digitalSignature"
    cat "$name.key" "$name.crt" > "$name.pem"
done
chmod 644 ca.pem ./*.crt
echo "certificates in $PWD: ca.pem, server.pem (key + chain), ${names[*]/%/.pem}"
