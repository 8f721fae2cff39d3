"""Build step: bundle content/ and translations/ (compiled to .mo) inside the package.

Everything else is in pyproject.toml. A plain `pip install .` must carry the default content
and compiled catalogs, so the wheel is usable without the checkout beside it.
"""

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent


class BuildWithData(build_py):
    def run(self) -> None:
        super().run()
        target = Path(self.build_lib) / "kiosk" / "_data"
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(HERE / "content", target / "content")
        self._compile_catalogs(HERE / "translations", target / "translations")

    @staticmethod
    def _compile_catalogs(source: Path, target: Path) -> None:
        from babel.messages.mofile import write_mo
        from babel.messages.pofile import read_po

        for po in sorted(source.glob("*/LC_MESSAGES/*.po")):
            out = target / po.relative_to(source).with_suffix(".mo")
            out.parent.mkdir(parents=True, exist_ok=True)
            with po.open("rb") as fh:
                catalog = read_po(fh, locale=po.parent.parent.name)
            with out.open("wb") as fh:
                write_mo(fh, catalog)


setup(cmdclass={"build_py": BuildWithData})
