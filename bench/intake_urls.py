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


urlpatterns = [*product, path("bench/baseline/", baseline)]
