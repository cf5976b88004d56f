"""Fixtures every test module may use, registered once in tests/conftest.py (``pytest_plugins``):
no test module or conftest imports another's fixtures.

* :mod:`tests.perlengkapan.pengguna` — the instansi and the users of each tenant: the PIC and PPK of
  two instansi pengguna, the pembina staff of two JFs (Kemnaker for Pengantar Kerja, one per role;
  the admin pembina of Setneg and LAN), the superadmin.
* :mod:`tests.perlengkapan.berkas` — dossiers walked through the real services: submitted
  (``diajukan``), the Kemnaker team (``tim``), decided in a sidang (``diputuskan``), a draft
  ready to submit (``usulan_lengkap``), and ``usulan_berstatus(status)``: an usulan in any
  state, walked there through the services and the transition core (never a status written by
  hand).
* :mod:`tests.perlengkapan.dunia` — the probes' cross-tenant ``world``: a dossier of instansi B
  in a sidang with everything hanging off it (letter, signing batch, notification, export, token,
  JF holder and ledger, usulan penetapan AK) and the outsiders who must be refused it; used by the
  probe, the invalid-input walk and the timeline privacy test.
* :mod:`tests.perlengkapan.ttd` — the test CA (``ca``) and a signer it issued (``penanda``), for
  the signing tests of apps.ttd and of the letters of other apps.

Helpers that are not fixtures live in plain modules next to the tests that share them
(``tests/rute.py``: the URL conf's named routes; ``tests/ttd/letak.py``: where a signature block
lands) and in each directory's conftest; a test module never imports another test module.
"""
