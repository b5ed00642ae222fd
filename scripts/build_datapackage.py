"""Write data/datapackage.json from the Column lists of toolkit/schema.py.

    python scripts/build_datapackage.py           # rewrite data/datapackage.json
    python scripts/build_datapackage.py --check   # exit 1 if it is not current

Re-run it after adding a table or a column (a new Column list in toolkit/schema.py is picked up
by itself; give it a line in toolkit.datapackage.TABLES for its title and keys). The tests
compare the committed file with this output and validate it with frictionless.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from toolkit.datapackage import datapackage_json  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only say whether the file is current")
    args = parser.parse_args()
    target = REPO / "data" / "datapackage.json"
    text = datapackage_json(REPO / "data")
    if args.check:
        current = target.exists() and target.read_text(encoding="utf-8") == text
        print(
            f"{target}: {'current' if current else 'out of date; run scripts/build_datapackage.py'}"
        )
        return 0 if current else 1
    target.write_text(text, encoding="utf-8")
    print(f"wrote {target} ({len(text):,} characters)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
