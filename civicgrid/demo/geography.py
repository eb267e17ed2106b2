"""The demo district's boundaries: a jittered lattice cut into streets, communities and grids.

Every cell shares its corner points exactly with its neighbours, so the tree is seamless,
children lie exactly within parents and siblings never overlap. Parents are traced along
the lattice (no polygon unions needed), which keeps seeding fast and exact.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from civicgrid.territory.choices import AreaClass, Level

# Layout: 5×3 streets, each 2×4 communities, each 3×3 grids → 15 / 120 / 1,080.
STREET_COLS, STREET_ROWS = 5, 3
COMMUNITY_COLS, COMMUNITY_ROWS = 2, 4
GRID_COLS, GRID_ROWS = 3, 3
WEST, NORTH = 123.35, 41.80  # Hunnan, south of the Hun river (WGS-84)
CELL_DX, CELL_DY = 0.0117, 0.0050  # about 970 m × 555 m


@dataclass
class RegionSpec:
    code: str
    name: str
    level: Level
    ring: list[tuple[float, float]]
    area_class: str = AreaClass.B

    def feature(self) -> dict:
        return {
            "type": "Feature",
            "properties": {"code": self.code, "name": self.name, "level": self.level, "area_class": self.area_class},
            "geometry": {"type": "Polygon", "coordinates": [[list(p) for p in self.ring]]},
        }


class Lattice:
    """Corner points of the finest cells, jittered by up to 20 % of a cell."""

    def __init__(self, cols: int, rows: int, rng: random.Random):
        self.cols, self.rows = cols, rows
        self.points = {
            (i, j): (
                round(WEST + i * CELL_DX + rng.uniform(-0.2, 0.2) * CELL_DX, 7),
                round(NORTH - j * CELL_DY + rng.uniform(-0.2, 0.2) * CELL_DY, 7),
            )
            for i in range(cols + 1)
            for j in range(rows + 1)
        }

    def ring(self, i0: int, j0: int, i1: int, j1: int) -> list[tuple[float, float]]:
        """The closed boundary of the block of cells [i0, i1) × [j0, j1), counter-clockwise."""
        p = self.points
        top = [p[(i, j0)] for i in range(i0, i1 + 1)]
        right = [p[(i1, j)] for j in range(j0 + 1, j1 + 1)]
        bottom = [p[(i, j1)] for i in range(i1 - 1, i0 - 1, -1)]
        left = [p[(i0, j)] for j in range(j1 - 1, j0, -1)]
        ring = top + right + bottom + left
        ring.reverse()  # counter-clockwise exterior, as RFC 7946 asks
        return [*ring, ring[0]]

    def point_in_cell(self, i: int, j: int, rng: random.Random, margin: float = 0.25) -> tuple[float, float]:
        """A point well inside cell (i, j): bilinear blend of its corners."""
        u, v = rng.uniform(margin, 1 - margin), rng.uniform(margin, 1 - margin)
        p = self.points
        a, b, c, d = p[(i, j)], p[(i + 1, j)], p[(i + 1, j + 1)], p[(i, j + 1)]
        x = (1 - u) * (1 - v) * a[0] + u * (1 - v) * b[0] + u * v * c[0] + (1 - u) * v * d[0]
        y = (1 - u) * (1 - v) * a[1] + u * (1 - v) * b[1] + u * v * c[1] + (1 - u) * v * d[1]
        return round(x, 7), round(y, 7)


@dataclass
class Cell:
    """One grid cell of the lattice and the codes above it."""

    i: int
    j: int
    grid_code: str
    community_code: str
    street_code: str


def build(district_code: str, district_name: str, rng: random.Random,
          street_names: list[str], community_names: list[str], grid_width: int = 3) -> tuple[Lattice, list[RegionSpec], list[Cell]]:
    """Lay out the district; codes run west→east, north→south at every level."""
    cols = STREET_COLS * COMMUNITY_COLS * GRID_COLS
    rows = STREET_ROWS * COMMUNITY_ROWS * GRID_ROWS
    lattice = Lattice(cols, rows, rng)
    specs = [RegionSpec(district_code, district_name, Level.DISTRICT, lattice.ring(0, 0, cols, rows))]
    cells: list[Cell] = []
    street_w, street_h = COMMUNITY_COLS * GRID_COLS, COMMUNITY_ROWS * GRID_ROWS
    community_no = 0
    for s_index in range(STREET_COLS * STREET_ROWS):
        sr, sc = divmod(s_index, STREET_COLS)
        street_code = f"{district_code}{s_index + 1:03d}"
        si, sj = sc * street_w, sr * street_h
        specs.append(RegionSpec(street_code, street_names[s_index], Level.STREET,
                                lattice.ring(si, sj, si + street_w, sj + street_h)))
        for c_index in range(COMMUNITY_COLS * COMMUNITY_ROWS):
            cr, cc = divmod(c_index, COMMUNITY_COLS)
            community_code = f"{street_code}{c_index + 1:03d}"
            ci, cj = si + cc * GRID_COLS, sj + cr * GRID_ROWS
            community_name = community_names[community_no]
            community_no += 1
            specs.append(RegionSpec(community_code, community_name, Level.COMMUNITY,
                                    lattice.ring(ci, cj, ci + GRID_COLS, cj + GRID_ROWS)))
            for g_index in range(GRID_COLS * GRID_ROWS):
                gr, gc = divmod(g_index, GRID_COLS)
                grid_code = f"{community_code}{g_index + 1:0{grid_width}d}"
                gi, gj = ci + gc, cj + gr
                specs.append(RegionSpec(grid_code, f"{community_name}第{g_index + 1}网格", Level.GRID,
                                        lattice.ring(gi, gj, gi + 1, gj + 1), _area_class(gi, gj, cols, rows)))
                cells.append(Cell(gi, gj, grid_code, community_code, street_code))
    return lattice, specs, cells


def _area_class(i: int, j: int, cols: int, rows: int) -> str:
    """Core (A) in the north-west built-up quarter, outer (C) along the south and east fringe."""
    if i < cols * 0.45 and j < rows * 0.4:
        return AreaClass.A
    if i > cols * 0.8 or j > rows * 0.75:
        return AreaClass.C
    return AreaClass.B
