#!/bin/sh
# Run once by the postgres image on first start (docker-entrypoint-initdb.d), as the superuser.
# siaks_owner owns the schema and runs migrations; siaks_app is what the application uses:
# no superuser, not the owner, no BYPASSRLS, so row-level security binds it.
# The passwords come from the environment (the same variables docker-compose.yml puts in the
# applications' DATABASE_URL), passed to psql as variables: :'name' quotes them as literals.
set -eu
: "${SIAKS_OWNER_DB_PASSWORD:?set SIAKS_OWNER_DB_PASSWORD}"
: "${SIAKS_APP_DB_PASSWORD:?set SIAKS_APP_DB_PASSWORD}"
psql -v ON_ERROR_STOP=1 --username "${POSTGRES_USER:-postgres}" --dbname postgres \
  -v owner_password="$SIAKS_OWNER_DB_PASSWORD" -v app_password="$SIAKS_APP_DB_PASSWORD" <<'SQL'
CREATE ROLE siaks_owner LOGIN PASSWORD :'owner_password' NOSUPERUSER NOBYPASSRLS CREATEDB;
CREATE ROLE siaks_app LOGIN PASSWORD :'app_password' NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
CREATE DATABASE siaks OWNER siaks_owner ENCODING 'UTF8';
SQL
