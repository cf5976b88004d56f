-- Run once by the postgres image on first start (docker-entrypoint-initdb.d).
-- siaks_owner owns the schema and runs migrations; siaks_app is what the application uses:
-- no superuser, not the owner, no BYPASSRLS, so row-level security binds it.
CREATE ROLE siaks_owner LOGIN PASSWORD 'owner-password-change-me' NOSUPERUSER NOBYPASSRLS CREATEDB;
CREATE ROLE siaks_app LOGIN PASSWORD 'app-password-change-me' NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
CREATE DATABASE siaks OWNER siaks_owner ENCODING 'UTF8';
