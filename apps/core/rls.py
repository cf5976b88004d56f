"""Row-level security policies for tenant-owned tables, created by migrations.

Use in a migration after the model's CreateModel::

    from apps.core.rls import enable_rls
    operations = [..., enable_rls("pengusulan_pegawai")]

(JF-owned tables without an instansi column — a JF's Tim Penilai, sidang, berita acara — use
:func:`enable_jf_rls`: visible to the pembina staff whose ``siaks.jf_ids`` hold the row's JF.)

The policy admits a row when the row's instansi is the transaction's ``siaks.instansi_id`` or
``siaks.all_tenants`` is on — or, for tables passed a ``jf_column``, when that JF is in
``siaks.jf_ids`` (pembina staff) — and, with ``jf_since``, only once that column is set (an usulan
once submitted, a document once it went with a submission) — or, for tables passed a
``pejabat_column``, when that column is the logged-in JF holder's record (``siaks.pejabat_id``).
ENABLE and FORCE, so the table owner is bound too.
"""

from __future__ import annotations

from django.db import migrations

POLICY = "siaks_tenant_isolation"

# The settings are read in scalar sub-selects, which PostgreSQL evaluates once per query (an
# InitPlan) instead of once per row: a function call per row made a 24,000-row aggregate scan
# take 120 ms instead of a few (bench/rekap_100k.py). (The SQL functions that did it before are
# dropped by core migration 0008.)
ALL_TENANTS = "(SELECT current_setting('siaks.all_tenants', true)) = 'on'"
INSTANSI = "(SELECT nullif(current_setting('siaks.instansi_id', true), '')::bigint)"
# The cast after the sub-select makes it one array value (ANY over an array, not over rows).
JF_IDS = "(SELECT string_to_array(nullif(current_setting('siaks.jf_ids', true), ''), ',')::bigint[])::bigint[]"
PEJABAT = "(SELECT nullif(current_setting('siaks.pejabat_id', true), '')::bigint)"


def policy_condition(
    column: str = "instansi_id",
    jf_column: str | None = None,
    jf_since: str | None = None,
    pejabat_column: str | None = None,
    penilai_column: str | None = None,
    jf_tanpa_penilai: bool = False,
) -> str:
    """``jf_tanpa_penilai``: the JF path admits only rows whose ``penilai_column`` is NULL — a Tim
    Penilai AK's PAK/HAPAK is no national data of the pembina (TenantModel.tenancy_penilai_path);
    the earlier migrations wrote the policy without it."""
    condition = f"{ALL_TENANTS} OR {column} = {INSTANSI}"
    if penilai_column:
        # The instansi that issued a row filed under another (TenantModel.tenancy_penilai_path).
        condition += f" OR {penilai_column} = {INSTANSI}"
    if jf_column:
        jf = f"{jf_column} = ANY ({JF_IDS})"
        if penilai_column and jf_tanpa_penilai:
            jf = f"({jf} AND {penilai_column} IS NULL)"
        # Pembina staff see the row only once it was handed to them (TenantModel.tenancy_jf_since).
        condition += f" OR ({jf} AND {jf_since} IS NOT NULL)" if jf_since else f" OR {jf}"
    if pejabat_column:
        # The JF holder's own record and what hangs on it (TenantModel.tenancy_pejabat_path).
        condition += f" OR {pejabat_column} = {PEJABAT}"
    return f"({condition})"


def jf_policy_condition(jf_column: str = "jf_id") -> str:
    """For JF-owned tables (no instansi column, :class:`apps.core.tenancy.JFScopedModel`): the row's
    JF is one the transaction's pembina scope administers, or ``siaks.all_tenants`` is on."""
    return f"({ALL_TENANTS} OR {jf_column} = ANY ({JF_IDS}))"


def policy_sql(
    table: str,
    column: str = "instansi_id",
    jf_column: str | None = None,
    jf_since: str | None = None,
    pejabat_column: str | None = None,
    *,
    condition: str | None = None,
    penilai_column: str | None = None,
    jf_tanpa_penilai: bool = False,
) -> tuple[str, str]:
    condition = condition or policy_condition(
        column, jf_column, jf_since, pejabat_column, penilai_column, jf_tanpa_penilai=jf_tanpa_penilai
    )
    forward = (
        f'DROP POLICY IF EXISTS {POLICY} ON "{table}"; '
        f'ALTER TABLE "{table}" ENABLE ROW LEVEL SECURITY; '
        f'ALTER TABLE "{table}" FORCE ROW LEVEL SECURITY; '
        f'CREATE POLICY {POLICY} ON "{table}" USING ({condition}) WITH CHECK ({condition});'
    )
    reverse = (
        f'DROP POLICY IF EXISTS {POLICY} ON "{table}"; '
        f'ALTER TABLE "{table}" NO FORCE ROW LEVEL SECURITY; '
        f'ALTER TABLE "{table}" DISABLE ROW LEVEL SECURITY;'
    )
    return forward, reverse


def enable_rls(
    table: str,
    column: str = "instansi_id",
    jf_column: str | None = None,
    jf_since: str | None = None,
    pejabat_column: str | None = None,
    penilai_column: str | None = None,
) -> migrations.RunSQL:
    forward, reverse = policy_sql(table, column, jf_column, jf_since, pejabat_column, penilai_column=penilai_column)
    return migrations.RunSQL(forward, reverse)


def enable_jf_rls(table: str, jf_column: str = "jf_id") -> migrations.RunSQL:
    """The policy of a JF-owned table (see :func:`jf_policy_condition`)."""
    forward, reverse = policy_sql(table, condition=jf_policy_condition(jf_column))
    return migrations.RunSQL(forward, reverse)
