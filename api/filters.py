"""Filter pieces shared by the resources: bounded id filters and a capped text search on `q`."""

from __future__ import annotations

from django import forms
from django_filters import rest_framework as filters
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import filters as drf_filters

from .serializers import MAX_ID

SEARCH_PARAM = "q"
# A search is a few words; more (or longer) ones only make a huge query, so they are cut off.
MAX_SEARCH_TERMS = 5
MAX_SEARCH_TERM_LENGTH = 50


class IdFormField(forms.IntegerField):
    """A positive integer that fits an id column."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault("max_value", MAX_ID)
        super().__init__(*args, **kwargs)


@extend_schema_field(OpenApiTypes.INT)
class IdFilter(filters.Filter):
    """Filter by the id of a related object (`?place=12`); an unknown id simply matches nothing."""

    field_class = IdFormField


class SearchFilter(drf_filters.SearchFilter):
    """DRF's search on `?q=`, keeping the first few words, each cut to a sensible length."""

    search_param = SEARCH_PARAM

    def get_search_terms(self, request):
        terms = super().get_search_terms(request)
        return [term[:MAX_SEARCH_TERM_LENGTH] for term in terms[:MAX_SEARCH_TERMS]]


def search_terms(value: str) -> list[str]:
    """The words of a free-text search, capped like SearchFilter's."""
    return [term[:MAX_SEARCH_TERM_LENGTH] for term in (value or "").split()[:MAX_SEARCH_TERMS]]


DEFAULT_BACKENDS = [filters.DjangoFilterBackend, SearchFilter, drf_filters.OrderingFilter]
