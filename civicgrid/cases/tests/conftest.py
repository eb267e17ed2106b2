"""A small world for case tests: the test district, a department owning 暴露垃圾, committees and personas."""

import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from civicgrid.cases.models import CaseClass
from civicgrid.organizations.choices import Role, UnitKind
from civicgrid.organizations.models import Person
from civicgrid.organizations.services import contract
from testsupport import grid_center, make_unit, make_user

SH = ZoneInfo("Asia/Shanghai")


def jpeg(color=(200, 30, 30), size=(64, 48), taken: dt.datetime | None = None, gps: tuple | None = None,
         pattern: int = 0) -> bytes:
    """A small JPEG, optionally with EXIF capture time and GPS position."""
    image = Image.new("RGB", size, color)
    for x in range(0, size[0], 8):  # some structure so perceptual hashes differ between patterns
        for y in range(size[1]):
            if (x // 8 + pattern) % 2:
                image.putpixel((x, y), (255 - color[0], 255 - color[1], 255 - color[2]))
    exif = Image.Exif()
    if taken is not None:
        exif.get_ifd(0x8769)[36867] = taken.strftime("%Y:%m:%d %H:%M:%S")
    if gps is not None:
        lat, lng = gps

        def dms(value):
            d = int(value)
            m = int((value - d) * 60)
            return (float(d), float(m), round(((value - d) * 60 - m) * 60, 2))

        exif.get_ifd(0x8825).update({1: "N", 2: dms(lat), 3: "E", 4: dms(lng)})
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", exif=exif.tobytes())
    return buffer.getvalue()


def upload(data: bytes, name: str = "photo.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


@pytest.fixture
def world(district):
    department = make_unit("DEPT-HW", UnitKind.DEPARTMENT)
    other_department = make_unit("DEPT-X", UnitKind.DEPARTMENT)
    garbage = CaseClass.objects.get(code="E0102")
    garbage.default_department = department
    garbage.save()
    committees = {code: make_unit(f"CM{code}", UnitKind.COMMUNITY_COMMITTEE, district[code])
                  for code in ("210112001001", "210112002001")}
    leader = Person.objects.create(name="包保领导")
    contract(target=district["210112001"], person=leader, starts_on=dt.date(2026, 1, 1))
    d = district
    users = {
        "admin": make_user("admin", Role.ADMIN),
        "gridworker": make_user("gridworker", Role.GRID_WORKER, region=d["210112001001001"]),
        "inspector": make_user("inspector", Role.INSPECTOR, region=d["210112"]),
        "acceptor": make_user("acceptor", Role.ACCEPTOR, region=d["210112"]),
        "shift_leader": make_user("shift_leader", Role.SHIFT_LEADER, region=d["210112"]),
        "dispatcher": make_user("dispatcher", Role.DISPATCHER, region=d["210112"]),
        "handler": make_user("handler", Role.HANDLER, unit=department),
        "other_handler": make_user("other_handler", Role.HANDLER, unit=other_department),
        "community": make_user("community", Role.COMMUNITY_STAFF, region=d["210112001001"]),
        "other_community": make_user("other_community", Role.COMMUNITY_STAFF, region=d["210112002001"]),
        "public": make_user("public", Role.PUBLIC),
        "leader": make_user("leader", Role.LEADER, region=d["210112"], person=leader),
    }
    return {"regions": d, "department": department, "other_department": other_department, "garbage": garbage,
            "committees": committees, "users": users, "point": grid_center("210112001001001"),
            "far_point": grid_center("210112002001001")}
