"""Fixtures every test module may use, registered once in tests/conftest.py (``pytest_plugins``):
no test module or conftest imports another's fixtures.

* :mod:`tests.perlengkapan.pengguna` — the instansi and the users of each tenant: the PIC and PPK of
  two instansi pengguna, the pembina staff of two JFs (Kemnaker for Pengantar Kerja, one per role;
  the admin pembina of Setneg and LAN), the superadmin.
* :mod:`tests.perlengkapan.berkas` — dossiers walked through the real services: submitted
  (``diajukan``), the Kemnaker team (``tim``), decided in a sidang (``diputuskan``), a draft
  ready to submit (``usulan_lengkap``), and ``usulan_berstatus(status)``: an usulan in any
  state, walked there through the services and the transition core (never a status written by
  hand). The probes' cross-tenant ``world`` stays in tests/keamanan/test_probe.py while the
  penetapan work extends it.
"""
