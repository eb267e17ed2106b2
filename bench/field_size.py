"""Issue 17, "small": bytes a grid worker's phone keeps for the field app — the shell page, its own assets, the
vendored Workbox and idb files, the service worker and manifest, and the offline bundle of the busiest grid of
the demo district (with the thumbnails of its open cases). Target: ≤ 5 MB. Prints one JSON line.

    .venv/bin/python bench/field_size.py
"""

from __future__ import annotations

import json

import _field


def main() -> None:
    _field.setup()
    from django.test import Client

    from civicgrid.field.views import SHELL_ASSETS

    user, grid = _field.field_worker()
    client = Client(SERVER_NAME="localhost")
    client.force_login(user)
    sizes: dict[str, int] = {}

    def size(path: str) -> int:
        response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        body = b"".join(response.streaming_content) if response.streaming else response.content
        return len(body)

    sizes["shell_page"] = size("/field/")
    sizes["shell_assets"] = sum(size(f"/static/{name}") for name in SHELL_ASSETS)
    workbox = ["workbox-sw.js", *(f"workbox-{m}.prod.js" for m in
                                  ("core", "routing", "strategies", "expiration", "cacheable-response"))]
    sizes["workbox"] = sum(size(f"/static/vendor/workbox/{name}") for name in workbox)
    sizes["worker_and_manifest"] = size("/sw.js") + size("/manifest.webmanifest")
    response = client.get("/api/v1/field/bundle/")
    bundle = response.json()
    sizes["bundle"] = len(response.content)
    thumbnails = [url for case in bundle["cases"] for url in case["thumbnails"]]
    sizes["thumbnails"] = sum(size(url) for url in thumbnails)
    total = sum(sizes.values())
    print(json.dumps({"scenario": "field_size", "grid": grid.code, "cases": len(bundle["cases"]),
                      "places": len(bundle["places"]), "grids": len(bundle["grids"]),
                      "assignments": len(bundle["assignments"]), "thumbnails": len(thumbnails),
                      "bytes": sizes, "total_bytes": total, "total_mb": round(total / 1024 / 1024, 3),
                      "target_mb": 5, "met": total <= 5 * 1024 * 1024}, ensure_ascii=False))


if __name__ == "__main__":
    main()
