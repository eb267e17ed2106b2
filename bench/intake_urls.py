"""The product's URLs plus /bench/baseline/: the same stack (gunicorn, Django, the database) inserting one row."""

from django.db import connection, transaction
from django.http import JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from civicgrid.urls import urlpatterns as product


@csrf_exempt
def baseline(request):
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("INSERT INTO bench_baseline (payload) VALUES (%s)", [request.POST.get("description", "")])
    return JsonResponse([{"ok": True}], safe=False, status=201)


@csrf_exempt
def baseline_case(request):
    """One case row through the ORM, with fixed values: no locating, routing, numbering, deadline or event."""
    import uuid

    from django.utils import timezone

    from civicgrid.cases.models import Case

    case = Case(number=uuid.uuid4().hex[:20], source="public_report", case_class_id=1,
                description=request.POST.get("description", ""), lng=float(request.POST["long"]),
                lat=float(request.POST["lat"]), reported_at=timezone.now())
    case.set_region("210112001001001")
    case.save()
    return JsonResponse([{"ok": True}], safe=False, status=201)


urlpatterns = [*product, path("bench/baseline/", baseline), path("bench/baseline-case/", baseline_case)]
