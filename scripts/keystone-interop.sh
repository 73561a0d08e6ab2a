#!/bin/sh
# A real Keystone (Debian's python3-keystone, the library part of the `keystone` package) on
# 127.0.0.1 for the interop test, with SQLite and Fernet keys under DIR:
#   scripts/keystone-interop.sh start DIR PORT ADMIN_PASSWORD   # prints the /v3 URL when it answers
#   scripts/keystone-interop.sh stop DIR
# Needs: apt-get install python3-keystone (keystone-manage, keystone-wsgi-public).
set -eu
cmd=${1:?start|stop}
dir=${2:?state directory}

if [ "$cmd" = stop ]; then
  [ -f "$dir/keystone.pid" ] && kill "$(cat "$dir/keystone.pid")" 2>/dev/null || true
  rm -f "$dir/keystone.pid"
  exit 0
fi

port=${3:?port}
password=${4:?admin password}
url="http://127.0.0.1:$port/v3"
for bin in keystone-manage keystone-wsgi-public; do
  command -v "$bin" >/dev/null || { echo "keystone-interop: $bin not found (apt-get install python3-keystone)" >&2; exit 3; }
done
mkdir -p "$dir"
conf="$dir/keystone.conf"
cat > "$conf" <<CONF
[DEFAULT]
log_file = $dir/keystone.log
[database]
connection = sqlite:///$dir/keystone.db
[token]
provider = fernet
expiration = 3600
[fernet_tokens]
key_repository = $dir/fernet-keys
[fernet_receipts]
key_repository = $dir/fernet-receipts
[credential]
key_repository = $dir/credential-keys
[oslo_policy]
enforce_scope = true
enforce_new_defaults = true
CONF
user=$(id -un)
group=$(id -gn)
km() { keystone-manage --config-file "$conf" "$@" >>"$dir/keystone-manage.log" 2>&1; }
km db_sync
km fernet_setup --keystone-user "$user" --keystone-group "$group"
km credential_setup --keystone-user "$user" --keystone-group "$group"
km bootstrap --bootstrap-password "$password" --bootstrap-admin-url "$url" --bootstrap-internal-url "$url" \
  --bootstrap-public-url "$url" --bootstrap-region-id RegionOne
nohup keystone-wsgi-public --host 127.0.0.1 --port "$port" -- --config-file "$conf" >"$dir/keystone-wsgi.log" 2>&1 &
echo $! >"$dir/keystone.pid"
i=0
until curl -sf -o /dev/null "$url"; do
  i=$((i + 1))
  if [ $i -gt 120 ]; then
    echo "keystone-interop: Keystone did not answer on $url within 60 s; see $dir/keystone-wsgi.log" >&2
    exit 1
  fi
  sleep 0.5
done
echo "$url"
