"""The peer: pygeoapi (from PyPI) serving the same GeoPackage through its OGR provider.

pygeoapi runs in its own virtual environment, made once and kept under ``var/bench/`` (git
ignores ``var/``): ``pip install pygeoapi starlette uvicorn``, and GDAL's Python bindings
(``osgeo``) from Debian's ``python3-gdal`` made visible through a ``.pth`` file that names a
directory holding only a link to ``osgeo`` (so no other Debian package shadows the venv's).
The GeoPackage is the one ``twin export --format gpkg`` writes from the same dataset, so
both servers publish the same buildings and units. pygeoapi serves it as a Starlette app
under uvicorn after ``pygeoapi openapi generate``.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx

from bench.processes import free_port, running

REPO = Path(__file__).resolve().parent.parent
VENV = REPO / "var" / "bench" / "pygeoapi-venv"
PYTHON = VENV / "bin" / "python"
DEBIAN_OSGEO = Path("/usr/lib/python3/dist-packages/osgeo")
"""GDAL's bindings as Debian's ``python3-gdal`` installs them."""
DEBIAN_PYTHON = Path("/usr/bin/python3")
"""The interpreter ``python3-gdal`` is built for: the venv is made from it."""
PACKAGES = ("pygeoapi", "starlette", "uvicorn")
LAYERS = {"buildings": "building", "units": "unit"}
"""Collection id -> GeoPackage layer (``twin export`` writes one layer per feature kind)."""
CRS84 = "http://www.opengis.net/def/crs/OGC/1.3/CRS84"


RUNNER = """
import socket, sys
import uvicorn
from uvicorn.supervisors import Multiprocess

if __name__ == "__main__":  # uvicorn's workers are spawned: they import this file again
    port, workers = int(sys.argv[1]), int(sys.argv[2])
    config = uvicorn.Config(
        "pygeoapi.starlette_app:APP", host="127.0.0.1", port=port, workers=workers,
        log_level="warning", access_log=False,
    )
    if workers == 1:
        uvicorn.Server(config).run()
    else:  # as `twin serve --workers` does: TCP_NODELAY on the shared listening socket
        sock = config.bind_socket()
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        Multiprocess(config, sockets=[sock]).run()
"""
"""pygeoapi under uvicorn, run by the peer's interpreter: ``RUNNER PORT WORKERS``."""


class PeerUnavailable(RuntimeError):
    """pygeoapi cannot run here; the message says what to install."""


def venv_ready() -> bool:
    """Whether the peer's venv exists and imports pygeoapi with GDAL."""
    if not PYTHON.exists():
        return False
    probe = subprocess.run(
        [str(PYTHON), "-c", "import osgeo.ogr, pygeoapi.provider.ogr, starlette, uvicorn"],
        capture_output=True,
        env=_env(),
        timeout=120,
    )
    return probe.returncode == 0


def ensure_venv() -> Path:
    """The peer's interpreter, making its venv first if needed (about a minute, once)."""
    if venv_ready():
        return PYTHON
    if not DEBIAN_OSGEO.is_dir():
        raise PeerUnavailable(
            f"GDAL's Python bindings are missing ({DEBIAN_OSGEO}): apt-get install python3-gdal"
        )
    base = DEBIAN_PYTHON if DEBIAN_PYTHON.exists() else Path(shutil.which("python3") or "")
    shutil.rmtree(VENV, ignore_errors=True)
    VENV.parent.mkdir(parents=True, exist_ok=True)
    _run([str(base), "-m", "venv", str(VENV)])
    _run([str(PYTHON), "-m", "pip", "install", "--quiet", *PACKAGES])
    shim = VENV / "gdal-shim"
    shim.mkdir(exist_ok=True)
    (shim / "osgeo").symlink_to(DEBIAN_OSGEO)
    site = _run([str(PYTHON), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"])
    (Path(site.strip()) / "debian-gdal.pth").write_text(f"{shim}\n")
    if not venv_ready():
        raise PeerUnavailable(f"the venv in {VENV} does not import pygeoapi with osgeo")
    return PYTHON


def versions() -> str:
    """``pygeoapi X with GDAL Y (OGR provider)``, for the report's environment."""
    out = _run(
        [
            str(PYTHON),
            "-c",
            "import pygeoapi; from osgeo import gdal; print(pygeoapi.__version__, gdal.__version__)",
        ]
    ).split()
    return f"pygeoapi {out[0]} with GDAL {out[1]} (OGR provider over GeoPackage)"


def config(gpkg: Path, url: str, bboxes: dict[str, list[float]]) -> dict[str, object]:
    """A pygeoapi configuration publishing :data:`LAYERS` of ``gpkg`` at ``url``.

    ``bboxes``: each collection's extent (min lon, min lat, max lon, max lat), degrees.
    """
    host, port = url.removeprefix("http://").split(":")
    resources = {
        cid: {
            "type": "collection",
            "title": cid.title(),
            "description": f"The campus's {cid} (twin export --format gpkg, layer {layer})",
            "keywords": [cid],
            "extents": {"spatial": {"bbox": bboxes[cid], "crs": CRS84}},
            "providers": [
                {
                    "type": "feature",
                    "name": "OGR",
                    "data": {"source_type": "GPKG", "source": str(gpkg)},
                    "id_field": "id",
                    "layer": layer,
                }
            ],
        }
        for cid, layer in LAYERS.items()
    }
    return {
        "server": {
            "bind": {"host": host, "port": int(port)},
            "url": url,
            "mimetype": "application/json; charset=UTF-8",
            "encoding": "utf-8",
            "language": "en-US",
            "limits": {"default_items": 10, "max_items": 10_000},
            "map": {"url": "https://tile.openstreetmap.org/{z}/{x}/{y}.png", "attribution": "OSM"},
        },
        "logging": {"level": "ERROR"},
        "metadata": {
            "identification": {
                "title": "Flying Fish twin peer",
                "description": "pygeoapi over the twin's GeoPackage, for benchmarks",
                "keywords": ["benchmark"],
                "keywords_type": "theme",
                "terms_of_service": "https://www.apache.org/licenses/LICENSE-2.0",
                "url": url,
            },
            "license": {"name": "Apache-2.0", "url": "https://www.apache.org/licenses/LICENSE-2.0"},
            "provider": {"name": "benchmark", "url": url},
            "contact": {"name": "benchmark", "position": "benchmark", "email": "bench@example.org"},
        },
        "resources": resources,
    }


@contextmanager
def serve(
    gpkg: Path, workdir: Path, bboxes: dict[str, list[float]], workers: int = 1
) -> Iterator[tuple[str, int]]:
    """pygeoapi serving ``gpkg`` on a free port with ``workers`` uvicorn worker processes;
    yields its base URL and process id.

    The venv must exist (:func:`ensure_venv`).
    """
    url = f"http://127.0.0.1:{free_port()}"
    cfg, openapi = workdir / "pygeoapi-config.yml", workdir / "pygeoapi-openapi.yml"
    cfg.write_text(json.dumps(config(gpkg, url, bboxes), indent=1))  # JSON is YAML
    env = {**_env(), "PYGEOAPI_CONFIG": str(cfg), "PYGEOAPI_OPENAPI": str(openapi)}
    _run(
        [
            str(VENV / "bin" / "pygeoapi"),
            "openapi",
            "generate",
            str(cfg),
            "--output-file",
            str(openapi),
        ],
        env=env,
    )
    runner = workdir / "pygeoapi_serve.py"
    runner.write_text(RUNNER)
    args = [
        "env", f"PYGEOAPI_CONFIG={cfg}", f"PYGEOAPI_OPENAPI={openapi}",
        str(PYTHON), str(runner), url.rsplit(":", 1)[1], str(workers),
    ]  # fmt: skip
    with running(args, _answers(url), workdir, "pygeoapi") as process:
        yield url, process.pid


def _answers(url: str) -> Callable[[Path], bool]:
    """A ``ready`` check: the units collection's metadata answers 200."""

    def check(_log: Path) -> bool:
        try:
            return httpx.get(f"{url}/collections/units?f=json", timeout=5).status_code == 200
        except httpx.HTTPError:
            return False

    return check


def _env() -> dict[str, str]:
    """The environment without this venv's variables (the peer has its own)."""
    return {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "PYTHONPATH")}


def _run(args: list[str], env: dict[str, str] | None = None) -> str:
    done = subprocess.run(args, capture_output=True, text=True, env=env or _env(), timeout=600)
    if done.returncode != 0:
        raise PeerUnavailable(f"{' '.join(args[:4])} failed:\n{done.stdout}{done.stderr}")
    return done.stdout
