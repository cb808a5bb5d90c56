"""The post-2016 manifest refreshed end to end from a local publisher, beside ToTA.

Every entry of corpora/post2016.toml gets an official-style text (generated: a digital-trade
chapter typeset as publishers do, tests/official_docs.py) served on 127.0.0.1; the manifest
is rewritten to point there, and the real command line refreshes ToTA and then the manifest
into one database and prints the adoption table from 2015. The texts are synthetic (the same
nine digital-trade articles in every agreement): the table shows what the path delivers, not
findings about these agreements. With internet access, `cybernorms refresh --source
corpora/post2016.toml` does the same with the publishers' texts.

Run:  .venv/bin/python benchmarks/post2016_local.py [--tota ../shared/corpora/tota/xml] [--db PATH]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from official_docs import official_html, official_pdf  # noqa: E402
from http_server import serve_folder  # noqa: E402
from test_post2016_sources import _entry_toml  # noqa: E402

from pipeline.sources.manifest import load_manifest_file  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tota", default=str(ROOT.parent / "shared/corpora/tota/xml"))
    parser.add_argument("--db", default=None)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="post2016-"))
    db = Path(args.db) if args.db else work / "cybernorms.duckdb"
    served = work / "publisher"
    served.mkdir()
    entries = load_manifest_file(ROOT / "corpora/post2016.toml").entries
    for number, entry in enumerate(entries, start=1):
        name = entry.files[0]
        if name.endswith(".html"):
            official_html(served / name, number, "Digital Trade")
        else:
            official_pdf(served / name, number, "Digital Trade", label_at="top" if number % 2 else "bottom")
    cli = [str(ROOT / ".venv/bin/cybernorms")]
    env = {**os.environ, "CYBERNORMS_LOG_DIR": str(work / "logs")}
    subprocess.run([*cli, "refresh", "--source", args.tota, "--db", str(db)], check=True, env=env,
                   stdout=subprocess.DEVNULL)
    with serve_folder(served) as base_url:
        manifest = work / "post2016.toml"
        manifest.write_text("".join(_entry_toml(e, base_url + e.files[0]) for e in entries), encoding="utf-8")
        subprocess.run([*cli, "refresh", "--source", str(manifest), "--db", str(db)], check=True, env=env,
                       cwd=work, stdout=subprocess.DEVNULL)
    subprocess.run([*cli, "adoption", "--since", "2015", "--db", str(db)], check=True, env=env)


if __name__ == "__main__":
    main()
