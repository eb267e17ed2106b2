"""API pagination (kept apart from viewsets: DRF imports it while loading its own generics)."""

from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    """Page-number pagination with `count`; `page_size` may be raised up to 500."""

    page_size_query_param = "page_size"
    max_page_size = 500
