#!/usr/bin/env bash
# Generates throw-away TLS material for tests into DIR (nothing here is ever committed):
#   ca.crt/ca.key               the test CA
#   server.crt/server.key       for 127.0.0.1 and localhost (IP and DNS SANs), signed by the CA
#   client-admin.crt/.key       a client certificate with CN=admin, signed by the CA
#   wrong-host.crt/.key         signed by the CA, but only for wrong-host.invalid (hostname mismatch)
#   other-ca.crt/.key           an unrelated CA (a "wrong CA file")
#   expired.crt/.key            signed by the CA for 127.0.0.1 and localhost, but expired a day ago
# Usage: make-test-certs.sh DIR
set -euo pipefail
dir=${1:?usage: make-test-certs.sh DIR}
mkdir -p "$dir"
cd "$dir"
days=30

newkey() { openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:prime256v1 -out "$1" 2>/dev/null; }

make_ca() { # name cn
    newkey "$1.key"
    openssl req -x509 -new -key "$1.key" -sha256 -days "$days" -subj "/CN=$2" \
        -addext "basicConstraints=critical,CA:TRUE" -addext "keyUsage=critical,keyCertSign,cRLSign" \
        -addext "subjectKeyIdentifier=hash" -out "$1.crt"
}

sign() { # name cn extensions [days]
    newkey "$1.key"
    openssl req -new -key "$1.key" -subj "/CN=$2" -out "$1.csr"
    printf '%s\n' "$3" > "$1.ext"
    openssl x509 -req -in "$1.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -sha256 -days "${4:-$days}" \
        -extfile "$1.ext" -out "$1.crt" 2>/dev/null
    rm -f "$1.csr" "$1.ext"
}

make_ca ca "Chronoscope Test CA"
make_ca other-ca "Chronoscope Unrelated CA"
server_ext="basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=serverAuth,clientAuth
authorityKeyIdentifier=keyid
subjectKeyIdentifier=hash"
sign server "127.0.0.1" "$server_ext
subjectAltName=IP:127.0.0.1,DNS:localhost"
sign wrong-host "wrong-host.invalid" "$server_ext
subjectAltName=DNS:wrong-host.invalid"
sign expired "127.0.0.1" "$server_ext
subjectAltName=IP:127.0.0.1,DNS:localhost" -1 # notAfter = yesterday
sign client-admin "admin" "basicConstraints=critical,CA:FALSE
keyUsage=critical,digitalSignature,keyEncipherment
extendedKeyUsage=clientAuth
authorityKeyIdentifier=keyid"
rm -f ca.srl
chmod 600 ./*.key
