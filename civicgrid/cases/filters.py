import django_filters
from django.db.models import Q
from django.utils import timezone

from civicgrid.cases.choices import HANDLING_STATES, Source, State, Urgency
from civicgrid.cases.models import Case
from civicgrid.core.filters import PrefixFilter
from civicgrid.core.validators import supported_date


class CaseFilter(django_filters.FilterSet):
    # distinct=False: a plain IN needs no DISTINCT, which would force SQLite to sort the whole result.
    state = django_filters.MultipleChoiceFilter(choices=State.choices, distinct=False)
    case_class = django_filters.CharFilter(field_name="case_class__code", label="class",
                                           help_text="class code, e.g. E0102")
    unit = django_filters.CharFilter(field_name="responsible_unit__code", help_text="responsible unit code")
    region = PrefixFilter(field_name="region_code", help_text="any region code; its whole subtree")
    source = django_filters.ChoiceFilter(choices=Source.choices)
    urgency = django_filters.ChoiceFilter(choices=Urgency.choices)
    overdue = django_filters.BooleanFilter(method="filter_overdue", help_text="handling deadline passed, still open")
    escalated = django_filters.BooleanFilter(method="filter_escalated",
                                             help_text="overdue and escalated to the contracted leader, still open")
    due_before = django_filters.IsoDateTimeFilter(method="filter_due_before",
                                                  help_text="being handled with a deadline before this moment")
    due_after = django_filters.IsoDateTimeFilter(field_name="handle_due", lookup_expr="gte",
                                                 help_text="handling deadline at or after this moment")
    closed_after = django_filters.IsoDateTimeFilter(field_name="closed_at", lookup_expr="gte",
                                                    help_text="closed at or after this moment")
    created_after = django_filters.IsoDateTimeFilter(field_name="reported_at", lookup_expr="gte")
    created_before = django_filters.IsoDateTimeFilter(field_name="reported_at", lookup_expr="lt")
    number = django_filters.CharFilter(field_name="number", lookup_expr="startswith")
    q = django_filters.CharFilter(method="filter_words", help_text="words: a case number's start, or words of the "
                                                                   "address or the description")
    # The cases behind an evaluation indicator (assessment): its denominator, or with part=numerator its numerator,
    # for the local days start..end; actor narrows to the post (username) the figure belongs to.
    indicator = django_filters.CharFilter(method="filter_indicator", help_text="indicator key, e.g. closure_rate")
    part = django_filters.ChoiceFilter(choices=[("denominator", "denominator"), ("numerator", "numerator")],
                                       method="filter_noop")
    start = django_filters.DateFilter(method="filter_noop", help_text="with indicator: first local day",
                                      validators=[supported_date])
    end = django_filters.DateFilter(method="filter_noop", help_text="with indicator: last local day",
                                    validators=[supported_date])
    actor = django_filters.CharFilter(method="filter_noop", help_text="with indicator: the post's username")
    cutoff = django_filters.IsoDateTimeFilter(method="filter_noop",
                                              help_text="with indicator: the moment it is taken at (default: the end)")
    ordering = django_filters.OrderingFilter(fields=(("reported_at", "reported_at"), ("handle_due", "handle_due"),
                                                     ("number", "number")))

    class Meta:
        model = Case
        fields = ["state", "case_class", "unit", "region", "source", "urgency", "overdue", "escalated", "due_before",
                  "due_after", "closed_after", "created_after", "created_before", "number", "q", "indicator", "part",
                  "start", "end", "actor"]

    def filter_overdue(self, queryset, name, value):
        overdue = Q(state__in=HANDLING_STATES, handle_due__lt=timezone.now())
        return queryset.filter(overdue) if value else queryset.exclude(overdue)

    def filter_words(self, queryset, name, value):
        words = value.strip()[:100]
        if not words:
            return queryset
        return queryset.filter(Q(number__startswith=words) | Q(address__contains=words)
                               | Q(description__contains=words))

    def filter_escalated(self, queryset, name, value):
        escalated = Q(state__in=HANDLING_STATES, escalated_at__isnull=False)
        return queryset.filter(escalated) if value else queryset.exclude(escalated)

    def filter_noop(self, queryset, name, value):
        return queryset  # read by filter_indicator

    def filter_indicator(self, queryset, name, value):
        from civicgrid.cases.indicators import BY_KEY, POST_ACTION_OF, cases_behind
        from civicgrid.workcal.periods import period_bounds

        data = self.form.cleaned_data
        if value not in BY_KEY or not data.get("start") or not data.get("end"):
            return queryset.none()
        begin, finish = period_bounds(data["start"], data["end"])
        queryset = queryset.filter(cases_behind(value, data.get("part") or "denominator", begin, finish,
                                                data.get("cutoff") or finish))
        if data.get("actor"):
            queryset = queryset.filter(events__actor__username=data["actor"],
                                       events__action=POST_ACTION_OF.get(value, "report"),
                                       events__at__gte=begin, events__at__lt=finish).distinct()
        return queryset

    def filter_due_before(self, queryset, name, value):
        return queryset.due_before(value)
