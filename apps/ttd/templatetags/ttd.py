"""Template hooks for the letters' pages: the TTE card on a letter, its public signature status,
and the validation report of a copy uploaded on the public page."""

from __future__ import annotations

from django import template

register = template.Library()


@register.inclusion_tag("ttd/_kartu.html", takes_context=True)
def ttd_kartu(context, versi):
    from apps.surat.permissions import dapat_mengelola
    from apps.ttd import services
    from apps.ttd.penanda import backend_for

    request = context.get("request")
    if versi is None or request is None or not versi.siap:
        return {"kartu": None}
    from apps.ttd.ringkasan import status_versi

    user = request.user
    pejabat = services.pejabat_dari(user)
    step = services.langkah_berikut(versi)
    # A registered official who is not a signer of this letter reads its status like any reader,
    # not "Anda bukan pejabat penanda tangan" alone (issue 17: an empty card on a rekomendasi).
    if pejabat and (versi.surat.penerbit_id != pejabat.instansi_id or pejabat not in services.pejabat_penanda(versi)):
        pejabat = None
    alasan_tidak = services.alasan_tidak_bisa(versi, pejabat) if pejabat else ""
    kelola = dapat_mengelola(user, versi.surat)
    giliran = bool(step and user.pk in step.user_ids and versi.terkini and not versi.ttd_berkas)
    # The letter's own signer does not give its paraf (services.paraf_beri refuses it too).
    penanda_sendiri = giliran and services.adalah_penanda(versi.surat, user)
    kartu = {
        "versi": versi,
        # Every reader sees where the letter stands (signed, by whom; or who must paraf or sign next).
        "status": status_versi([versi]).get(versi.pk),
        "langkah": services.status_paraf(versi),
        # Every paraf given on the letter, per version, also those void since (issue 17).
        "riwayat": [r for r in services.riwayat_paraf(versi.surat) if not r["berlaku"]],
        "ttd": [t for t in services.ttd_terkini(versi) if t.batch_id or t.status != "gagal"],
        "bisa_paraf": giliran and not penanda_sendiri,
        "bisa_ttd": bool(pejabat and not alasan_tidak),
        "alasan_tidak": (alasan_tidak if pejabat and versi.terkini else "")
        or (services.alasan_paraf_penanda(versi, step) if penanda_sendiri else ""),
        "butuh_passphrase": bool(pejabat and backend_for(pejabat).butuh_passphrase),
        # SKs have the upload form in the signed-copy card of the letter page already.
        "bisa_unggah": kelola
        and versi.terkini
        and not versi.ttd_berkas
        and versi.surat.jenis not in services.JENIS_SK
        and step is None,  # every upload waits for the paraf chain (services.unggah_salinan)
        # What the upload accepts for this letter type: a wet-ink scan only for JENIS_MANUAL.
        "boleh_pindaian": versi.surat.jenis in services.JENIS_MANUAL,
        "jenis_label": versi.surat.label_jenis(),
        "jenis_pindaian": services.jenis_pindaian_label(),
        # A signer the letter names who is no registered official: nobody's queue holds it.
        "peringatan_penanda": (
            services.peringatan_penanda_surat(versi.surat)
            if (kelola or pejabat) and versi.terkini and not versi.ttd_berkas
            else ""
        ),
    }
    return {"kartu": kartu, "request": request}


@register.simple_tag
def ttd_elektronik(versi):
    """The in-portal electronic signatures of the version's signed copy ([] for an upload)."""
    from apps.ttd.services import ttd_elektronik as tte

    return tte(versi)


@register.inclusion_tag("ttd/_status_publik.html")
def ttd_status_publik(versi):
    from apps.ttd.publik import status_publik

    return {"status": status_publik(versi)}
