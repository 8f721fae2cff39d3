"""The frozen kiosk (deploy/build-frozen, PyInstaller onedir), run for real on this Linux machine.

Built once per session (about 45 s on the 2-core machine) into build/frozen-<hash>/, and reused
while nothing that goes into it has changed (the hash covers the kiosk's code, content,
translations, the spec and the versions of Python, PySide6 and PyInstaller). KIOSK_FROZEN_DIST=DIR
tests an existing dist/kiosk instead (the Windows workflow runs the must-have test that way).

Every run of the frozen program has a PATH with no Python on it and no venv variables, so it can
only work from what is inside the build. Nothing here has run on Windows.
"""

from __future__ import annotations

import hashlib
import importlib.metadata
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import CONTENT, IN_CI, ROOT, need_tool
from tests.cups_server import CupsServer

pytestmark = pytest.mark.slow

WINDOWS = sys.platform == "win32"
EXE = "kiosk.exe" if WINDOWS else "kiosk"
BUILD_INPUTS = ("kiosk", "content", "translations", "deploy/kiosk.spec", "deploy/frozen", "deploy/build-frozen")

# What must be inside dist/kiosk/_internal, per system. PySide6's wheels put Qt in PySide6/Qt on
# Linux and straight in PySide6 on Windows. The Windows list is from the wheel's layout: not built here.
QT = "PySide6" if WINDOWS else "PySide6/Qt"
FROZEN_MUST_HAVE: dict[str, list[str]] = {
    "linux": [
        "PySide6/Qt/plugins/platforms/libqoffscreen.so", "PySide6/Qt/plugins/platforms/libqxcb.so",
        "PySide6/Qt/plugins/platforms/libqwayland.so", "PySide6/Qt/plugins/wayland-shell-integration/libxdg-shell.so",
        "PySide6/Qt/plugins/printsupport/libcupsprintersupport.so",
        "PySide6/Qt/plugins/imageformats/libqsvg.so", "PySide6/Qt/plugins/imageformats/libqjpeg.so",
        "PySide6/Qt/plugins/iconengines/libqsvgicon.so",
        "PySide6/Qt/lib/libQt6PrintSupport.so.6", "PySide6/Qt/lib/libQt6Svg.so.6", "PySide6/Qt/lib/libQt6XcbQpa.so.6",
        "PySide6/Qt/translations/qtbase_kk.qm", "PySide6/Qt/translations/qtbase_ru.qm",
        "PySide6/QtPrintSupport.abi3.so", "PySide6/QtSvg.abi3.so",
    ],
    "win32": [
        # Qt 6 prints on Windows from Qt6PrintSupport.dll itself: there is no printsupport plugin.
        "PySide6/plugins/platforms/qoffscreen.dll", "PySide6/plugins/platforms/qwindows.dll",
        "PySide6/plugins/imageformats/qsvg.dll", "PySide6/plugins/imageformats/qjpeg.dll",
        "PySide6/plugins/iconengines/qsvgicon.dll",
        "PySide6/Qt6PrintSupport.dll", "PySide6/Qt6Svg.dll",
        "PySide6/translations/qtbase_kk.qm", "PySide6/translations/qtbase_ru.qm",
        "PySide6/QtPrintSupport.pyd", "PySide6/QtSvg.pyd",
    ],
    "any": [
        "kiosk/fonts/NotoSans-Regular.ttf", "kiosk/fonts/NotoSans-Bold.ttf", "kiosk/fonts/DejaVuSans.ttf",
        "kiosk/fonts/DejaVuSans-Bold.ttf", "kiosk/fonts/OFL.txt", "kiosk/fonts/DejaVu-LICENSE.txt",
        *(f"kiosk/ui/icons/{n}.svg" for n in ("book", "question", "leaflet", "globe")),
        *(f"kiosk/_data/translations/{lang}/LC_MESSAGES/kiosk.mo" for lang in ("kk", "ru", "uz", "en")),
        *(f"babel/locale-data/{loc}.dat" for loc in ("root", "kk", "ru", "uz", "en")),
        # and every file of the bundled content: added in the test from content/
    ],
}
# What must not be: Qt modules the kiosk does not use (they would be tens of MiB).
FROZEN_MUST_NOT_HAVE = ("QtQml", "QtQuick", "QtWebEngine", "Qt3D", "QtMultimedia", "QtNetwork", "QtDesigner",
                        "qmltooling", "platformthemes", "libqgtk3", "libqvnc", "libqeglfs", "libgtk-3", "libgdk-3")


def _tree_hash() -> str:
    digest = hashlib.sha256()
    for name in BUILD_INPUTS:
        root = ROOT / name
        files = [root] if root.is_file() else sorted(p for p in root.rglob("*") if p.is_file())
        for path in files:
            if "__pycache__" in path.parts or path.suffix in (".pyc", ".mo"):
                continue
            digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes() + b"\0")
    for dist in ("PySide6-Essentials", "pyinstaller", "PyYAML", "Babel", "platformdirs", "segno"):
        digest.update(f"{dist}={importlib.metadata.version(dist)}".encode())
    digest.update(sys.version.encode())
    return digest.hexdigest()[:16]


@pytest.fixture(scope="session")
def frozen() -> Path:
    """dist/kiosk of a build of this tree (built now, or reused when the tree has not changed)."""
    given = os.environ.get("KIOSK_FROZEN_DIST")
    if given:
        return Path(given)
    try:
        import PyInstaller  # noqa: F401
    except ImportError:
        if IN_CI:
            pytest.fail("PyInstaller is missing under CI: the test extra must bring it (pyproject.toml)")
        pytest.skip("needs PyInstaller (pip install -e '.[frozen]')")
    target = ROOT / "build" / f"frozen-{_tree_hash()}"
    if not (target / "kiosk" / EXE).exists():
        for old in (ROOT / "build").glob("frozen-*"):
            shutil.rmtree(old, ignore_errors=True)  # one build kept, not one per edit
        partial = target.with_name(target.name + ".partial")
        shutil.rmtree(partial, ignore_errors=True)
        start = time.monotonic()
        done = subprocess.run(["bash", str(ROOT / "deploy" / "build-frozen"), str(partial)],
                              env={**os.environ, "PYTHON": sys.executable}, capture_output=True, text=True,
                              timeout=900)
        assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]
        (partial / "BUILD_SECONDS").write_text(f"{time.monotonic() - start:.0f}\n")
        partial.rename(target)
    return target / "kiosk"


def frozen_size(tree: Path) -> int:
    """Bytes on disk, each file once (PyInstaller links some Qt libraries into _internal)."""
    return sum(p.lstat().st_size for p in tree.rglob("*") if p.is_file() and not p.is_symlink())


def _no_python_env(tmp_path: Path, **extra: str) -> dict[str, str]:
    """A PATH with no Python on it, no venv: the frozen program must bring everything."""
    bare = tmp_path / "bin"
    bare.mkdir(exist_ok=True)
    env = {"PATH": str(bare), "HOME": str(tmp_path / "home"), "LANG": "C.UTF-8",
           "KIOSK_DATA_DIR": str(tmp_path / "data"), "XDG_RUNTIME_DIR": str(tmp_path / "run"),
           "QT_QPA_PLATFORM": "offscreen"}
    (tmp_path / "run").mkdir(mode=0o700, exist_ok=True)
    env.update(extra)
    assert shutil.which("python3", path=env["PATH"]) is None and shutil.which("python", path=env["PATH"]) is None
    return env


def _run(frozen: Path, tmp_path: Path, *args: str, timeout: float = 60, **env: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(frozen / EXE), *args], env=_no_python_env(tmp_path, **env), cwd=tmp_path,
                          capture_output=True, text=True, timeout=timeout)


def test_the_build_has_everything_the_kiosk_needs_and_nothing_big_it_does_not(frozen: Path) -> None:
    inside = frozen / "_internal"
    wanted = FROZEN_MUST_HAVE["win32" if WINDOWS else "linux"] + FROZEN_MUST_HAVE["any"]
    wanted += [f"kiosk/_data/content/{p.relative_to(CONTENT).as_posix()}" for p in CONTENT.rglob("*") if p.is_file()]
    missing = [name for name in wanted if not (inside / name).is_file()]
    assert not missing, f"missing from the frozen build: {missing}"
    assert (frozen / EXE).is_file() and os.access(frozen / EXE, os.X_OK)
    if WINDOWS:
        assert (frozen / "kioskw.exe").is_file(), "the console-less kiosk for the kiosk user's shell"
    unwanted = [str(p.relative_to(inside)) for p in inside.rglob("*")
                if any(bad in p.name or bad in p.parent.name for bad in FROZEN_MUST_NOT_HAVE)]
    assert not unwanted, f"in the frozen build but never used: {unwanted[:20]}"
    assert not list((inside / f"{QT}/translations").glob("qtbase_de.qm")), "only the kiosk's languages"
    size = frozen_size(frozen)
    print(f"\nfrozen tree: {size / 2**20:.1f} MiB")
    assert size < 160 * 2**20, f"the frozen tree grew to {size / 2**20:.0f} MiB"


def test_check_on_the_bundled_content_and_on_a_broken_copy(frozen: Path, tmp_path: Path) -> None:
    done = _run(frozen, tmp_path, "check")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "OK: 'sana-sezim-shymkent'" in done.stdout
    assert "_internal/kiosk/_data/content" in done.stdout.replace("\\", "/")  # the bundled copy, not the checkout
    broken = tmp_path / "broken"
    shutil.copytree(CONTENT, broken)
    slide = sorted((broken / "slides").glob("*.yaml"))[0]
    slide.write_text(slide.read_text(encoding="utf-8") + "\npicture: [unclosed\n", encoding="utf-8")
    done = _run(frozen, tmp_path, "check", str(broken))
    assert done.returncode == 1, done.stdout + done.stderr
    assert f"{slide.name}:" in done.stdout + done.stderr and "Traceback" not in done.stdout + done.stderr


def test_leaflet_pdf_in_kazakh(frozen: Path, tmp_path: Path) -> None:
    need_tool("pdftotext", "poppler-utils")
    done = _run(frozen, tmp_path, "leaflet", "--lang", "kk", "--output", "x.pdf")
    assert done.returncode == 0, done.stdout + done.stderr
    pdf = tmp_path / "x.pdf"
    assert pdf.read_bytes()[:5] == b"%PDF-"
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "Шетелге жұмысқа барасыз ба?" in " ".join(text.split())
    assert "21-61-52" in text


def test_data_dir_file_beside_the_executable_is_honoured(frozen: Path, tmp_path: Path) -> None:
    """As the Windows installer sets it up: data-dir.txt beside kiosk(.exe), no KIOSK_DATA_DIR."""
    copy = tmp_path / "installed"
    try:
        shutil.copytree(frozen, copy, copy_function=os.link)
    except OSError:  # another file system: a real copy
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(frozen, copy, symlinks=True)
    data = tmp_path / "ProgramData" / "safe-migration-kiosk"
    (copy / "data-dir.txt").write_bytes(f"{data}\r\n".encode())
    env = _no_python_env(tmp_path)
    del env["KIOSK_DATA_DIR"]
    done = subprocess.run([str(copy / EXE), "set-pin", "--pin-stdin"], input="4711\n", env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "staff_pin:" in (data / "settings.yaml").read_text(encoding="utf-8")


def _free_display() -> int:
    for number in range(140, 190):
        if not Path(f"/tmp/.X11-unix/X{number}").exists() and not Path(f"/tmp/.X{number}-lock").exists():
            return number
    raise RuntimeError("no free X display number")


@pytest.fixture
def xvfb() -> Iterator[str]:
    need_tool("Xvfb", "xvfb")
    need_tool("import", "imagemagick")
    number = _free_display()
    proc = subprocess.Popen(["Xvfb", f":{number}", "-screen", "0", "1366x768x24", "-nolisten", "tcp"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    deadline = time.monotonic() + 10
    while not Path(f"/tmp/.X11-unix/X{number}").exists():
        assert proc.poll() is None and time.monotonic() < deadline, "Xvfb did not start"
        time.sleep(0.05)
    yield f":{number}"
    proc.terminate()
    proc.wait(timeout=10)


def _attract_screenshot(command: list[str], env: dict[str, str], display: str, shot: Path, log: Path) -> object:
    """Starts `command` full screen under `display`; the screenshot once the attract screen is up."""
    from PySide6.QtGui import QColor, QImage

    bar = QColor("#134e4a")
    with log.open("w") as out:
        proc = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 40
        while True:
            assert proc.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "no attract screen within 40 s: " + log.read_text()[-2000:]
            subprocess.run(["import", "-display", display, "-window", "root", str(shot)], check=True,
                           capture_output=True, timeout=20)
            image = QImage(str(shot))
            if not image.isNull() and image.pixelColor(5, image.height() - 5) == bar:
                break
            time.sleep(0.3)
        time.sleep(1.0)  # the first frame settles (fonts, the attract picture)
        subprocess.run(["import", "-display", display, "-window", "root", str(shot)], check=True,
                       capture_output=True, timeout=20)
        return QImage(str(shot))
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def _difference(a: object, b: object) -> float:
    """Share of sampled pixels that differ by more than 32 in some channel."""
    differ = total = 0
    for y in range(0, a.height(), 4):  # type: ignore[attr-defined]
        for x in range(0, a.width(), 4):  # type: ignore[attr-defined]
            p, q = a.pixelColor(x, y), b.pixelColor(x, y)  # type: ignore[attr-defined]
            total += 1
            if max(abs(p.red() - q.red()), abs(p.green() - q.green()), abs(p.blue() - q.blue())) > 32:
                differ += 1
    return differ / total


def test_frozen_kiosk_shows_the_attract_screen_under_xvfb_as_the_kiosk_itself_does(
        frozen: Path, xvfb: str, tmp_path: Path) -> None:
    settings = "attract_slide_s: 120\n"  # one attract picture for the whole test
    frozen_data, venv_data = tmp_path / "frozen-data", tmp_path / "venv-data"
    for data in (frozen_data, venv_data):
        data.mkdir()
        (data / "settings.yaml").write_text(settings, encoding="utf-8")
    env = _no_python_env(tmp_path, DISPLAY=xvfb, QT_QPA_PLATFORM="xcb", KIOSK_DATA_DIR=str(frozen_data))
    shot = _attract_screenshot([str(frozen / EXE)], env, xvfb, tmp_path / "frozen.png", tmp_path / "frozen.log")
    assert (shot.width(), shot.height()) == (1366, 768)  # type: ignore[attr-defined]
    log = (frozen_data / "logs" / "kiosk.log").read_text(encoding="utf-8")
    assert "starting" in log and "Traceback" not in log
    # The kiosk's own render: the same command from the checkout, same X server, same settings.
    reference_env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
    reference_env.update(DISPLAY=xvfb, QT_QPA_PLATFORM="xcb", KIOSK_DATA_DIR=str(venv_data))
    reference = _attract_screenshot([sys.executable, "-m", "kiosk"], reference_env, xvfb,
                                    tmp_path / "venv.png", tmp_path / "venv.log")
    share = _difference(shot, reference)
    from PySide6.QtGui import QColor, QImage

    blank = QImage(shot.size(), QImage.Format.Format_RGB32)  # type: ignore[attr-defined]
    blank.fill(QColor("#f8fafc"))  # the page colour: a screen with nothing on it
    assert _difference(shot, blank) > 0.10, "the comparison must tell an empty page from the attract screen"
    print(f"\nfrozen vs checkout attract screen: {share:.2%} of sampled pixels differ")
    assert share < 0.02, f"the frozen kiosk's screen differs from the kiosk's own: {share:.2%} (see {tmp_path})"


def _has_qt_backend(frozen: Path, tmp_path: Path) -> bool:
    done = _run(frozen, tmp_path, "leaflet", "--help")
    return "--backend" in done.stdout


def test_frozen_kiosk_prints_through_the_qt_backend_to_cups_pdf(frozen: Path, tmp_path: Path,
                                                                  cups: CupsServer) -> None:
    if not _has_qt_backend(frozen, tmp_path):
        pytest.skip("needs the Qt print backend (--backend qt), not on this branch yet")
    need_tool("pdftoppm", "poppler-utils")
    from tests.pdf_pages import difference, ink, render_pages

    before = len(cups.outputs("kiosk-pdf"))
    done = _run(frozen, tmp_path, "leaflet", "--lang", "ru", "--print", "--backend", "qt", "--printer", "kiosk-pdf",
                timeout=120, CUPS_SERVER=str(cups.socket))
    assert done.returncode == 0, done.stdout + done.stderr
    printed = render_pages(cups.wait_for_output("kiosk-pdf", before + 1)[-1])
    reference = _run(frozen, tmp_path, "leaflet", "--lang", "ru", "--output", "ru.pdf")
    assert reference.returncode == 0, reference.stderr
    drawn = render_pages(tmp_path / "ru.pdf")
    assert len(printed) == len(drawn) == 1
    mean, share = difference(printed[0], drawn[0])
    assert mean < 6 and share < 0.03, f"the printed page differs from the leaflet PDF: {mean:.2f}, {share:.2%}"
    assert ink(printed[0]) > 0.05



def test_kiosk_bench_frozen_measures_the_frozen_start(frozen: Path) -> None:
    """`kiosk bench --frozen PATH` works on the build (its figures are in docs/INSTALLING.md, "Windows", not asserted)."""
    from kiosk.devtools.bench import measure_frozen

    figures = measure_frozen(frozen / EXE, runs=1, taps=2)
    assert float(figures["frozen_startup_ms"]) > 0 and float(figures["venv_startup_ms"]) > 0  # type: ignore[arg-type]
    assert int(figures["frozen_peak_rss_mib"]) > 0  # type: ignore[call-overload]


def test_qt_looks_for_plugins_and_translations_inside_the_build(frozen: Path, tmp_path: Path) -> None:
    """PyInstaller's PySide6 run-time hook is left out (it cost 250 ms at every start): Qt must
    still find its plugins and its own translations (qtbase_kk.qm) in the build, not elsewhere."""
    done = _run(frozen, tmp_path, KIOSK_FROZEN_QT_PATHS="1", QT_PLUGIN_PATH="/usr/lib/x86_64-linux-gnu/qt6/plugins")
    assert done.returncode == 0, done.stdout + done.stderr
    paths = dict(line.split(" ", 1) for line in done.stdout.splitlines())
    inside = (frozen / "_internal").resolve()
    for name in ("PrefixPath", "PluginsPath", "TranslationsPath"):
        assert Path(paths[name]).resolve().is_relative_to(inside), (name, paths[name])
    assert (Path(paths["TranslationsPath"]) / "qtbase_kk.qm").is_file()
