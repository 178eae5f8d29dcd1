#!/bin/sh
# Copyright 2026 The Open-CSMS Authors. Licensed under the Apache License, Version 2.0.
#
# Entry point of the compose redis service. Rewrites the default and csms_admin users at the top
# of /data/users.acl from users.acl.template and the redis-admin secret (so a changed secret takes
# effect at the next start), keeps every other user (the tenant users saved with ACL SAVE), then
# starts Redis through the image's own entry point, which drops root for the redis user.
set -eu

secret=/run/secrets/redis-admin
template=/usr/local/etc/redis/users.acl.template
acl=/data/users.acl

if [ ! -s "$secret" ]; then
    echo "init-acl: $secret is missing or empty (see compose/README.md)" >&2
    exit 1
fi
password=$(tr -d '\r\n' < "$secret")
case "$password" in
    *[[:space:]]*)
        echo "init-acl: the Redis admin password in $secret must not contain white space" >&2
        exit 1
        ;;
esac
hash=$(printf '%s' "$password" | sha256sum | cut -d ' ' -f 1)

umask 077
{
    grep -v '^#' "$template" | sed "s/@ADMIN_PASSWORD_SHA256@/$hash/"
    if [ -f "$acl" ]; then
        grep -v -e '^user default ' -e '^user csms_admin ' "$acl" || true
    fi
} > "$acl.new"
chown redis:redis "$acl.new"
mv "$acl.new" "$acl"

exec /usr/local/bin/docker-entrypoint.sh "$@"
