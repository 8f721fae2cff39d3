"""Writes kiosk/_data for the frozen build, as `pip install` does (setup.py): content/ as it is,
translations/ compiled to .mo. Usage: python deploy/frozen/stage_data.py TARGET_DIR"""

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from kiosk.core.model import compile_po  # noqa: E402


def main(target: Path) -> int:
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(ROOT / "content", target / "content")
    pos = sorted((ROOT / "translations").glob("*/LC_MESSAGES/*.po"))
    for po in pos:
        out = target / "translations" / po.relative_to(ROOT / "translations").with_suffix(".mo")
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(compile_po(po, po.parent.parent.name))
    print(f"staged content and {len(pos)} catalogs in {target}")
    return 0 if pos else 1


if __name__ == "__main__":
    sys.exit(main(Path(sys.argv[1])))
