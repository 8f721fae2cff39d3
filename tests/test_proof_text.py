"""`kiosk proof` has a text layer: what each screen shows and what it reads aloud can be found
with pdftotext (poppler), in every language."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from kiosk.core.model.i18n import I18n
from kiosk.core.narration.narration import leaflet, neutral, slide
from tests.support import content_copy, need_tool
from tests.test_cli import run_kiosk_command


def words(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").split())


@pytest.mark.slow  # a kiosk process that draws 40-odd screens
def test_the_proof_holds_the_shown_and_the_spoken_text_in_every_language(tmp_path: Path) -> None:
    from kiosk.core.content.loader import load_content

    need_tool("pdftotext", "poppler-utils")
    pack = content_copy(tmp_path, "short")
    (pack / "quiz.yaml").unlink()  # the quiz's 42 pages a language: the core tests its playlists
    for path in sorted((pack / "slides").glob("*.yaml"))[3:]:
        path.unlink()
    content = load_content(pack).content
    assert content is not None
    out = tmp_path / "proof.pdf"
    done = run_kiosk_command(["proof", "--content", str(pack), "--data-dir", str(tmp_path / "site"),
                              "--output", str(out), "--size", "1366x768",
                              *[arg for lang in ("kk", "ru", "uz", "en") for arg in ("--lang", lang)]])
    assert done.returncode == 0, done.stdout + done.stderr
    text = words(subprocess.run(["pdftotext", str(out), "-"], capture_output=True, text=True, check=True).stdout)
    i18n = I18n()
    for lang in ("kk", "ru", "uz", "en"):
        second = content.slides[1]
        assert words(second.title.get(lang)) in text, lang  # the label's text, laid over the picture
        assert words(second.body.get(lang))[:60] in text, lang
        for spoken in (slide(second, lang), leaflet(lang, i18n)):
            assert f"Read aloud: {words(spoken.text)}" in text, (lang, spoken.key)
        # the neutral quick-exit screen never speaks (someone watching must notice nothing)
        assert f"Read aloud: {words(neutral(content, lang).text)}" not in text, lang
    assert "oʻ" in text or "gʻ" in text  # Uzbek's letters come out as they are
    # the spoken form, not the text shown: numbers in words, QR as it is said (spoken.py)
    assert "Read aloud: Вам предлагают работу или брак за границей? Многие люди от восемнадцати до сорока пяти лет" in text
    assert "oʻn sakkiz yoshdan qirq besh yoshgacha" in text and "сфотографируйте кьюар-код" in text
