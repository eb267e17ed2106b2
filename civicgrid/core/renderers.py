"""Extra response formats."""

from rest_framework.renderers import JSONRenderer


class GeoJSONRenderer(JSONRenderer):
    """`?format=geojson`: the view answers a GeoJSON FeatureCollection."""

    media_type = "application/geo+json"
    format = "geojson"
